package io.imagefleet.worker.routehealth;

import io.imagefleet.contracts.Json;
import io.imagefleet.worker.resilience.LaneState;
import io.imagefleet.worker.resilience.SpendingState;
import io.imagefleet.worker.resilience.WorkerDemand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The records of the route-health topic: key = lane name ({@code create:<model>}, {@code query}),
 * {@code spending} or {@code demand:<worker>}; value = JSON of a {@link LaneState}, a {@link
 * SpendingState} or a {@link WorkerDemand}.
 */
public final class RouteHealthRecords {
  private RouteHealthRecords() {}

  public static byte[] key(LaneState state) {
    return state.lane().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] key(SpendingState state) {
    return SpendingState.KEY.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] key(WorkerDemand demand) {
    return (WorkerDemand.KEY_PREFIX + demand.worker()).getBytes(StandardCharsets.UTF_8);
  }

  /** The worker whose demand a record of this key holds, or empty for any other record. */
  public static Optional<String> demandOf(byte[] key) {
    if (key == null) {
      return Optional.empty();
    }
    String k = new String(key, StandardCharsets.UTF_8);
    return k.startsWith(WorkerDemand.KEY_PREFIX)
        ? Optional.of(k.substring(WorkerDemand.KEY_PREFIX.length()))
        : Optional.empty();
  }

  public static Optional<WorkerDemand> demand(byte[] value) {
    return read(value, WorkerDemand.class);
  }

  public static byte[] value(Object state) {
    try {
      return Json.mapper().writeValueAsBytes(state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a record of this key holds a {@link SpendingState}. */
  public static boolean isSpending(byte[] key) {
    return key != null && SpendingState.KEY.equals(new String(key, StandardCharsets.UTF_8));
  }

  /** A lane's state, or empty for a record no worker of this version wrote. */
  public static Optional<LaneState> lane(byte[] value) {
    return read(value, LaneState.class);
  }

  public static Optional<SpendingState> spending(byte[] value) {
    return read(value, SpendingState.class);
  }

  private static <T> Optional<T> read(byte[] value, Class<T> type) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(value, type));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
