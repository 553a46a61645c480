package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.state.JobState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StateRecorderTest {
  private final JobFixture fixture = new JobFixture();
  private final JobRequest job = JobFixture.job("state-1").build();
  private final Attempt attempt = fixture.attempt(job);
  private final StateRecorder recorder = new StateRecorder(attempt, fixture.services);

  private JobState submitted() {
    return JobState.submitted(
        JobIdentity.of(job), 1, JobFixture.ROUTE, null, "task-1", 0, fixture.clock.instant(), "w1");
  }

  @Test
  void recordsTheIntentOnceForEachCountOfUnconfirmedCreations() {
    assertThat(recorder.recordIntent()).isCompleted();
    assertThat(recorder.recordIntent()).isCompleted();
    attempt.countUnconfirmed();
    assertThat(recorder.recordIntent()).isCompleted();

    assertThat(fixture.states)
        .extracting(JobState::phase)
        .containsExactly(JobState.Phase.SUBMITTING, JobState.Phase.SUBMITTING);
    assertThat(fixture.states).extracting(JobState::unconfirmed).containsExactly(0, 1);
    assertThat(recorder.lastRecorded().phase()).isEqualTo(JobState.Phase.SUBMITTING);
  }

  @Test
  void recordsWaitingOnlyAfterAnIntentAndThenRecordsTheIntentAgain() {
    recorder.recordWaiting();
    assertThat(fixture.states).as("nothing was outstanding").isEmpty();

    recorder.recordIntent();
    recorder.recordWaiting();
    recorder.recordWaiting();
    recorder.recordIntent();

    assertThat(fixture.states)
        .extracting(JobState::phase)
        .containsExactly(
            JobState.Phase.SUBMITTING, JobState.Phase.WAITING, JobState.Phase.SUBMITTING);
  }

  @Test
  void triesTheTaskAgainEverySecondUntilItIsAcknowledged() {
    fixture.stateWritesToFail = 2;
    CompletableFuture<Void> recorded = recorder.recordTask(submitted());
    assertThat(recorded).isNotDone();

    fixture.scheduler.advance(Duration.ofSeconds(1));
    assertThat(recorded).isNotDone();
    fixture.scheduler.advance(Duration.ofSeconds(1));

    assertThat(recorded).isCompleted();
    assertThat(fixture.trail)
        .containsExactly("state SUBMITTED failed", "state SUBMITTED failed", "state SUBMITTED");
    assertThat(recorder.lastRecorded().taskId()).isEqualTo("task-1");
  }

  @Test
  void stopsTryingOnceTheJobIsHandedOver() {
    fixture.stateWritesToFail = 2;
    CompletableFuture<Void> recorded = recorder.recordTask(submitted());
    attempt.cancel();
    fixture.scheduler.advance(Duration.ofSeconds(1));

    assertThat(recorded).as("the next owner decides").isCompleted();
    assertThat(fixture.states).isEmpty();
    assertThat(recorder.lastRecorded()).isNull();
  }
}
