package io.imagefleet.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.callback.OwedCallback.State;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a partition's owner takes the steps it reads: in order, and never a stale one. */
class PartitionStateTest {
  private static final Instant NOW = Instant.parse("2026-12-06T21:00:00Z");

  private final OwedCallbacks.PartitionState partition = new OwedCallbacks.PartitionState(0);

  private static OwedCallback owed(String id) {
    return OwedCallback.owed(
        id,
        "job-" + id,
        "catalog",
        1,
        "https://hooks.example.com/x",
        "{}".getBytes(StandardCharsets.UTF_8),
        NOW,
        "w1");
  }

  private static OwedCallback step(OwedCallback from, long follows, State state, int attempts) {
    return from.next(
        attempts,
        state,
        state == State.OWED ? NOW.plusSeconds(5) : null,
        503,
        "x",
        follows,
        NOW,
        "w1");
  }

  @Test
  void takesStepsThatFollowTheKnownOneAndIgnoresAFormerOwnersLateStep() {
    OwedCallback first = owed("a");
    partition.apply(10, first);
    partition.apply(11, step(first, 10, State.OWED, 1)); // the owner's attempt
    partition.apply(12, step(first, 10, State.OWED, 1)); // a former owner's, on the old state
    assertThat(partition.owed.get("a").offset).isEqualTo(11);
    assertThat(partition.restartOffset(20)).isEqualTo(11);

    partition.apply(13, step(first, 11, State.DELIVERED, 2));
    partition.apply(14, step(first, 12, State.OWED, 2)); // late, after the delivery ended
    assertThat(partition.owed).isEmpty();
    assertThat(partition.restartOffset(20)).isEqualTo(20);
  }

  @Test
  void aFinalStepOfTheCurrentGenerationEndsTheDeliveryWhoeverWroteIt() {
    OwedCallback first = owed("b");
    partition.apply(0, first);
    partition.apply(1, step(first, 0, State.OWED, 1));
    partition.apply(2, step(first, 0, State.DELIVERED, 1)); // the former owner got a 2xx
    assertThat(partition.owed).isEmpty();
  }

  @Test
  void aRedeliveryOwesAFinishedDeliveryAgainOnceAndAStepReadBackIsNotTakenTwice() {
    OwedCallback first = owed("c");
    partition.apply(0, first);
    OwedCallback failed = step(first, 0, State.FAILED, 8);
    partition.apply(1, failed);
    OwedCallback again = failed.redelivery("fixed", NOW, "cli:ops");
    partition.apply(2, again);
    assertThat(partition.owed.get("c").owed.generation()).isEqualTo(1);
    assertThat(partition.owed.get("c").owed.attempts()).isZero();
    partition.apply(2, again); // read back after it was taken when written
    partition.apply(1, failed); // re-read from an older offset: not newer than what is known
    assertThat(partition.owed.get("c").offset).isEqualTo(2);
  }
}
