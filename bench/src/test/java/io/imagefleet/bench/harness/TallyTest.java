package io.imagefleet.bench.harness;

import static io.imagefleet.contracts.JobStatus.ACCEPTED;
import static io.imagefleet.contracts.JobStatus.FAILED;
import static io.imagefleet.contracts.JobStatus.RUNNING;
import static io.imagefleet.contracts.JobStatus.SUBMITTED;
import static io.imagefleet.contracts.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.imagefleet.bench.harness.EventsReader.DeadLetter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TallyTest {
  private final Tally tally = new Tally(Set.of("a", "b", "c"));

  @Test
  void countsJobsByTheStatusOfTheirLatestEvent() {
    tally.record(Events.of("a", ACCEPTED, "w1"));
    tally.record(Events.of("a", SUBMITTED, "w1"));
    tally.record(Events.of("b", ACCEPTED, "w1"));
    tally.record(Events.of("c", RUNNING, "w2"));

    assertThat(tally.byStatus())
        .containsExactlyInAnyOrderEntriesOf(Map.of(SUBMITTED, 1, ACCEPTED, 1, RUNNING, 1));
    assertThat(tally.endedCount()).isZero();
    assertThat(tally.allEnded()).isFalse();
  }

  @Test
  void reportsOnlyTheFirstTerminalEventOfAJobAndCountsTheRestAsDuplicates() {
    assertThat(tally.record(Events.failed("a", "w1", "upstream_timeout"))).isTrue();
    assertThat(tally.record(Events.succeeded("a", "w2", 10, "0.04", 100))).isFalse();
    assertThat(tally.record(Events.failed("a", "w1", "upstream_timeout"))).isFalse();

    assertThat(tally.duplicateEndings()).isEqualTo(2);
    assertThat(tally.endedCount()).isEqualTo(1);
    assertThat(tally.endings().get("a").status()).isEqualTo(FAILED);
    assertThat(tally.byStatus()).containsExactlyEntriesOf(Map.of(FAILED, 1));
  }

  @Test
  void keepsAnEndedJobWhereItsEndPutItWhenALateEventArrives() {
    tally.record(Events.of("a", SUCCEEDED, "w1"));
    assertThat(tally.record(Events.of("a", RUNNING, "w2"))).isFalse();

    assertThat(tally.byStatus()).containsExactlyEntriesOf(Map.of(SUCCEEDED, 1));
    assertThat(tally.duplicateEndings()).isZero();
    assertThat(tally.inFlightOn("w2")).isEmpty();
  }

  @Test
  void ignoresJobsOutsideTheBatch() {
    assertThat(tally.record(Events.of("z", SUCCEEDED, "w1"))).isFalse();

    assertThat(tally.endedCount()).isZero();
    assertThat(tally.byStatus()).isEmpty();
  }

  @Test
  void endsWhenEveryExpectedJobHasEnded() {
    tally.record(Events.of("a", SUCCEEDED, "w1"));
    tally.record(Events.failed("b", "w1", "invalid_job"));
    assertThat(tally.allEnded()).isFalse();

    tally.record(Events.of("c", SUCCEEDED, "w2"));
    assertThat(tally.allEnded()).isTrue();
    assertThat(tally.expectedCount()).isEqualTo(3);
  }

  @Test
  void sumsImagesCostAndTokensOfEndedJobs() {
    tally.record(Events.succeeded("a", "w1", 1_000, "0.011", 40));
    tally.record(Events.succeeded("b", "w2", 2_000, "0.0005", 60));
    tally.record(Events.failed("c", "w2", "content_policy_violation"));

    assertThat(tally.images()).isEqualTo(2);
    assertThat(tally.imageBytes()).isEqualTo(3_000);
    assertThat(tally.cost()).isEqualByComparingTo(new BigDecimal("0.0115"));
    assertThat(tally.tokens()).isEqualTo(100);
  }

  @Test
  void leavesOutACostNoWorkerWrote() {
    tally.record(Events.succeeded("a", "w1", 1_000, "0.011", 40));
    tally.record(Events.succeeded("b", "w2", 1_000, "1e999999999", 40));

    assertThat(tally.cost()).isEqualByComparingTo(new BigDecimal("0.011"));
  }

  @Test
  void costsNothingBeforeAnyJobEnded() {
    assertThat(tally.cost()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void countsFailureCodesAndJobsPerWorkerInOrder() {
    tally.record(Events.failed("a", "w2", "upstream_timeout"));
    tally.record(Events.failed("b", "w1", "invalid_job"));
    tally.record(Events.failed("c", "w1", "invalid_job"));

    assertThat(tally.failureCodes())
        .containsOnly(entry("invalid_job", 2), entry("upstream_timeout", 1));
    assertThat(tally.failureCodes().keySet()).containsExactly("invalid_job", "upstream_timeout");
    assertThat(tally.jobsPerWorker().keySet()).containsExactly("w1", "w2");
    assertThat(tally.jobsPerWorker()).containsEntry("w1", 2).containsEntry("w2", 1);
  }

  @Test
  void findsTheJobsAWorkerLeftUnfinished() {
    tally.record(Events.of("a", RUNNING, "w1"));
    tally.record(Events.of("b", SUBMITTED, "w1"));
    tally.record(Events.of("b", RUNNING, "w2"));
    tally.record(Events.of("c", SUCCEEDED, "w1"));

    assertThat(tally.inFlightOn("w1")).containsExactly("a");
    assertThat(tally.inFlightOn("w2")).containsExactly("b");
  }

  @Test
  void countsDeadLetters() {
    tally.onDeadLetter(new DeadLetter("run-malformed", "undecodable"));
    tally.onDeadLetter(new DeadLetter("run-other", "undecodable"));

    assertThat(tally.deadLetters()).isEqualTo(2);
  }

  @Test
  void wakesAWaitingThreadWhenAnEventArrives() throws Exception {
    Thread feeder = new Thread(() -> tally.onEvent(Events.of("a", SUCCEEDED, "w1")));
    long before = System.nanoTime();
    synchronized (tally) {
      feeder.start();
      tally.awaitChange(Duration.ofSeconds(30));
    }
    feeder.join();

    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(30));
    assertThat(tally.endedCount()).isEqualTo(1);
  }
}
