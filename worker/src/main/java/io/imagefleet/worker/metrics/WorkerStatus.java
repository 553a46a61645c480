package io.imagefleet.worker.metrics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.Json;
import io.imagefleet.worker.resilience.Lane.LaneView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A worker at a glance: what {@code GET /status} answers and what the worker publishes as its
 * heartbeat (key = worker id) on the compacted workers topic, so {@code imagefleet status} can show
 * the fleet from any machine that reaches the cluster even when the workers' own endpoints are not
 * reachable from there. Carries no configuration and no secret.
 *
 * @param workerId the worker's id ({@code worker.id})
 * @param opsUrl where its ops endpoint is reachable ({@code ops.advertised-url})
 * @param inFlight jobs running now
 * @param maxInFlight its in-flight cap
 * @param assignedPartitions partitions of the jobs topic it owns
 * @param breakers route -> circuit breaker state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN},
 *     ...)
 * @param lanes what each lane of upstream calls is doing: the fleet's rate and this worker's part,
 *     its 429s, a cooldown, a route down
 * @param ready whether {@code /health/ready} answers 200
 * @param notReadyReasons why not, when not ready
 * @param startedAt when the worker started
 * @param updatedAt when this status was taken
 * @param tenantsInFlight jobs running now per tenant ({@code _shared}: the shared jobs topic)
 * @param tenantsWaiting records read and waiting for a slot per tenant
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerStatus(
    String workerId,
    String opsUrl,
    int inFlight,
    int maxInFlight,
    int assignedPartitions,
    Map<String, String> breakers,
    List<LaneView> lanes,
    boolean ready,
    List<String> notReadyReasons,
    Instant startedAt,
    Instant updatedAt,
    Map<String, Integer> tenantsInFlight,
    Map<String, Integer> tenantsWaiting) {

  public WorkerStatus {
    breakers = breakers == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(breakers));
    lanes = lanes == null ? List.of() : List.copyOf(lanes);
    notReadyReasons = notReadyReasons == null ? List.of() : List.copyOf(notReadyReasons);
    // Absent from the heartbeats of workers older than fair share.
    tenantsInFlight = sorted(tenantsInFlight);
    tenantsWaiting = sorted(tenantsWaiting);
  }

  private static Map<String, Integer> sorted(Map<String, Integer> counts) {
    return counts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  public byte[] toJson() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the status of worker " + workerId, e);
    }
  }

  /** Reads a status written by any version of the worker (unknown fields are ignored). */
  public static WorkerStatus fromJson(byte[] json) {
    try {
      return Json.mapper().readValue(json, WorkerStatus.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a worker status: " + e.getMessage(), e);
    }
  }
}
