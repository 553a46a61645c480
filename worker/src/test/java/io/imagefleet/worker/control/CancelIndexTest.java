package io.imagefleet.worker.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.CancelRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CancelIndexTest {
  private static final Instant T = Instant.parse("2026-11-24T09:00:00Z");
  private final CancelIndex index = new CancelIndex(Duration.ofDays(7), 3);

  @Test
  void matchesAJobAPrefixAndEveryJobQueuedUpToItsTimeOfItsOwnTenantOnly() {
    index.add(CancelRequest.ofJob("r1", "catalog", "job-1", null, T, null), T);
    index.add(CancelRequest.ofPrefix("r2", "catalog", "batch-7-", null, T, null), T);
    index.add(CancelRequest.ofAllQueued("r3", "edits", null, T, null), T);

    assertThat(index.match("catalog", "job-1", T.plusSeconds(60), T))
        .hasValueSatisfying(r -> assertThat(r.requestId()).isEqualTo("r1"));
    assertThat(index.match("catalog", "batch-7-0042", T.plusSeconds(60), T)).isPresent();
    assertThat(index.match("catalog", "batch-8-0001", T.minusSeconds(60), T)).isEmpty();
    assertThat(index.match("marketing", "job-1", T, T)).as("another tenant's job").isEmpty();
    assertThat(index.match("edits", "anything", T, T)).as("published at T").isPresent();
    assertThat(index.match("edits", "anything", T.plusMillis(1), T))
        .as("published after")
        .isEmpty();
  }

  @Test
  void aLaterCancelOfEveryQueuedJobReplacesAnEarlierOne() {
    index.add(CancelRequest.ofAllQueued("r1", "edits", null, T, null), T);
    index.add(CancelRequest.ofAllQueued("r2", "edits", null, T.plusSeconds(10), null), T);
    index.add(CancelRequest.ofAllQueued("r0", "edits", null, T.minusSeconds(10), null), T);

    assertThat(index.match("edits", "j", T.plusSeconds(5), T))
        .hasValueSatisfying(r -> assertThat(r.requestId()).isEqualTo("r2"));
  }

  @Test
  void forgetsTheOldestBeyondItsBoundAndEveryCancelPastItsWindow() {
    for (int i = 0; i < 5; i++) {
      index.add(CancelRequest.ofJob("r" + i, "catalog", "job-" + i, null, T, null), T);
    }
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.match("catalog", "job-0", T, T)).isEmpty();
    assertThat(index.match("catalog", "job-4", T, T)).isPresent();

    Instant eightDaysOn = T.plus(Duration.ofDays(8));
    assertThat(index.match("catalog", "job-4", T, eightDaysOn)).as("past its window").isEmpty();
    assertThat(index.add(CancelRequest.ofJob("old", "catalog", "x", null, T, null), eightDaysOn))
        .as("too old to remember")
        .isFalse();
    index.add(CancelRequest.ofJob("new", "catalog", "y", null, eightDaysOn, null), eightDaysOn);
    assertThat(index.size()).as("the expired ones went with the new one").isEqualTo(1);
  }
}
