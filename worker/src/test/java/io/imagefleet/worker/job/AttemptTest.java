package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AttemptTest {
  private static final JobRequest JOB = JobFixture.job("a-1").build();
  private final Attempt attempt =
      new Attempt(JOB, 3, 2, JobTracing.off().startJob(JOB, null, null));
  private final AtomicInteger called = new AtomicInteger();

  private CompletableFuture<UpstreamOutcome<String>> call() {
    called.incrementAndGet();
    return CompletableFuture.completedFuture(UpstreamOutcome.success("ok"));
  }

  @Test
  void callsTheUpstreamUntilTheJobsCallBudgetIsSpent() {
    assertThat(attempt.budgeted(this::call).join()).isEqualTo(UpstreamOutcome.success("ok"));
    assertThat(attempt.budgeted(this::call).join()).isEqualTo(UpstreamOutcome.success("ok"));
    UpstreamOutcome<String> third = attempt.budgeted(this::call).join();

    assertThat(third)
        .isInstanceOfSatisfying(
            Failure.class, f -> assertThat(f.code()).isEqualTo("call_budget_spent"));
    assertThat(called).as("the third call never reached the upstream").hasValue(2);
  }

  @Test
  void theTerminalEventCarriesTheCallsAndTheUnconfirmedCreations() {
    attempt.budgeted(this::call);
    attempt.restoreUnconfirmed(1);
    attempt.countUnconfirmed();
    StatusEvent failed =
        new StatusEvents("w1", Clock.systemUTC())
            .failed(attempt.job(), StatusEvents.Routing.NONE, null, JobFailures.unconfirmedError());

    StatusEvent terminal = attempt.withCounts(failed);

    assertThat(terminal.status()).isEqualTo(JobStatus.FAILED);
    assertThat(terminal.upstreamCalls()).isEqualTo(1);
    assertThat(terminal.unconfirmedSubmissions()).isEqualTo(2);
  }

  @Test
  void aCreationIsOutstandingFromItsStartUntilSettled() {
    assertThat(attempt.creationSettledFuture()).as("nothing outstanding at first").isCompleted();
    attempt.creationStarted();
    CompletableFuture<Void> outstanding = attempt.creationSettledFuture();
    assertThat(outstanding).isNotDone();
    attempt.creationSettled();
    assertThat(outstanding).isCompleted();
  }

  @Test
  void stoppingCreationsStopsAnAttemptWhoseCreationHasNotBegun() {
    attempt.creationStarted(); // waiting for its turn in the lane: nothing sent yet
    assertThat(attempt.stopCreating()).as("nothing outstanding to wait for").isCompleted();
    assertThat(attempt.isCancelled()).isTrue();
    assertThat(attempt.tryBeginCreation()).as("its turn comes after the hand-over").isFalse();
  }

  @Test
  void stoppingCreationsWaitsForTheCreationUnderWay() {
    attempt.creationStarted();
    assertThat(attempt.tryBeginCreation()).isTrue();
    CompletableFuture<Void> stopped = attempt.stopCreating();
    assertThat(stopped).isNotDone();
    assertThat(attempt.isCancelled()).as("the creation's answer is still wanted").isFalse();
    attempt.creationSettled();
    assertThat(stopped).isCompleted();
  }

  @Test
  void aHandOverIsSeenByEveryStep() {
    assertThat(attempt.isCancelled()).isFalse();
    attempt.cancel();
    assertThat(attempt.isCancelled()).isTrue();
    assertThat(attempt.partition()).isEqualTo(3);
  }
}
