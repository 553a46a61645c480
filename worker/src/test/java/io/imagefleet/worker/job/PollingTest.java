package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.TaskState;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollingTest {
  private JobFixture fixture = new JobFixture();
  private Attempt attempt;
  private Ending ending;
  private Submission submission;
  private Polling polling;

  private void steps() {
    attempt = fixture.attempt(JobFixture.job("poll-1").build());
    ending = new Ending(attempt, fixture.services);
    submission =
        new Submission(
            attempt,
            fixture.services,
            new StateRecorder(attempt, fixture.services),
            ending,
            task -> polling.start(task));
    polling =
        new Polling(
            attempt,
            fixture.services,
            new ImageCollection(attempt, fixture.services),
            ending,
            submission);
  }

  private AcceptedTask task() {
    return new AcceptedTask(
        fixture.route(JobFixture.ROUTE),
        new Routing(JobFixture.ROUTE, null),
        "task-1",
        fixture.clock.instant(),
        Duration.ofSeconds(10));
  }

  private StatusEvent end() {
    fixture.scheduler.runUntil(() -> ending.future().isDone(), Duration.ofHours(1));
    assertThat(ending.future()).isCompleted();
    return ending.future().join().event();
  }

  private void processing(int times, int progress) {
    for (int i = 0; i < times; i++) {
      fixture.upstream.queries.add(
          UpstreamOutcome.success(FakeUpstream.task("task-1", TaskState.PROCESSING, progress)));
    }
  }

  @Test
  void firstPollIsAtTheEstimateCountedFromTheAcceptance() {
    steps();
    AcceptedTask task = task();
    fixture.clock.advance(Duration.ofSeconds(2)); // recording the task took this long
    polling.start(task);

    fixture.scheduler.advance(Duration.ofSeconds(8).minusNanos(1));
    assertThat(fixture.calls("query")).isZero();
    fixture.scheduler.advance(Duration.ofNanos(1));
    assertThat(fixture.calls("query")).isEqualTo(1);
    assertThat(end().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void aResumedTaskIsPolledAtOnce() {
    steps();
    polling.resume(task());
    fixture.scheduler.advance(Duration.ZERO);
    assertThat(fixture.trail).startsWith("query task-1");
  }

  @Test
  void publishesProgressAtMostOncePerIntervalAndOnlyWhenItChanged() {
    fixture = new JobFixture(Map.of("polling.running-event-every", "1h"));
    steps();
    processing(1, 10);
    processing(1, 10);
    processing(1, 20);
    polling.start(task());
    end();

    assertThat(fixture.events).extracting(StatusEvent::progress).containsExactly(10);
    assertThat(fixture.calls("query")).isEqualTo(4);
  }

  @Test
  void aTaskStillRunningAtTheTimeoutFailsWithGenerationTimeout() {
    fixture = new JobFixture(Map.of("polling.task-timeout", "1m"));
    steps();
    processing(1000, 50);
    AcceptedTask task = task();
    polling.start(task);
    StatusEvent end = end();

    assertThat(end.error().code()).isEqualTo("generation_timeout");
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
    assertThat(Duration.between(task.acceptedAt(), fixture.clock.instant()))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void pollingTroubleIsPolledThroughAndARejectedPollFailsTheJob() {
    steps();
    for (int i = 0; i < 4; i++) {
      fixture.upstream.queries.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    fixture.upstream.queries.add(FakeUpstream.failure(FailureKind.REJECTED, "task_not_found", 404));
    polling.start(task());
    StatusEvent end = end();

    assertThat(end.error().code()).isEqualTo("task_not_found");
    assertThat(fixture.calls("query")).isEqualTo(5);
  }

  @Test
  void aFailedPollIsTriedAgainSoonNotAWholeBackoffLater() {
    fixture = new JobFixture(Map.of("polling.jitter", "0"));
    steps();
    processing(12, 50); // backs off to the 30 s cap
    fixture.upstream.queries.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    fixture.upstream.queries.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    polling.start(task());
    fixture.scheduler.runUntil(() -> fixture.calls("query") == 13, Duration.ofHours(1));

    fixture.scheduler.advance(Duration.ofSeconds(2).minusNanos(1));
    assertThat(fixture.calls("query")).as("1 s doubled after one failure").isEqualTo(13);
    fixture.scheduler.advance(Duration.ofNanos(1));
    assertThat(fixture.calls("query")).isEqualTo(14);
    fixture.scheduler.advance(Duration.ofSeconds(4).minusNanos(1));
    assertThat(fixture.calls("query")).as("doubled again after two in a row").isEqualTo(14);
    fixture.scheduler.advance(Duration.ofNanos(1));
    assertThat(fixture.calls("query")).isEqualTo(15);
    assertThat(end().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void aPollAnsweredForMoneyStopsSpendingButKeepsPolling() {
    steps();
    fixture.upstream.queries.add(
        FakeUpstream.failure(FailureKind.STOP_SPENDING, ErrorCodes.INSUFFICIENT_QUOTA, 402));
    polling.start(task());

    assertThat(end().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(fixture.spending.isOpen()).isFalse();
    assertThat(fixture.calls("query")).isEqualTo(2);
  }

  @Test
  void aTaskFailedForMoneySendsTheJobBackToSubmission() {
    steps();
    fixture.upstream.queries.add(
        UpstreamOutcome.success(FakeUpstream.failedTask("task-1", "quota_exceeded")));
    submission.start(List.of(fixture.route(JobFixture.ROUTE)));
    StatusEvent end = end();

    assertThat(fixture.spending.isOpen()).as("the probe's creation went through").isTrue();
    assertThat(fixture.calls("create")).isEqualTo(2);
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.upstreamTaskId()).isEqualTo("task-2");
  }

  @Test
  void aCompletedTaskEndsTheJobWithItsImagesOrTheirFailure() {
    steps();
    fixture.upstream.queries.add(
        UpstreamOutcome.success(FakeUpstream.completed("task-1", List.of("nope"))));
    polling.start(task());

    assertThat(end().error().code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
  }

  @Test
  void aHandedOverJobIsNotPolled() {
    steps();
    polling.start(task());
    attempt.cancel();
    fixture.scheduler.advance(Duration.ofHours(1));

    assertThat(fixture.calls("query")).isZero();
    assertThat(ending.future()).isNotDone();
  }
}
