package io.imagefleet.worker.job;

import io.imagefleet.contracts.StoredImage;
import io.imagefleet.worker.tracing.SpanNames;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.OutcomeClassifier;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import io.imagefleet.worker.upstream.UpstreamTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Polls an accepted task on the {@link PollSchedule} until it completes, fails or passes {@code
 * polling.task-timeout}, publishing RUNNING progress on the way; a completed task's images are then
 * collected and the job ends. The task is paid for: transient trouble while polling never fails the
 * job before the timeout, and a task refused for money sends the job back to submission.
 */
final class Polling {
  private static final Logger log = JobLog.RUN;

  private final Attempt attempt;
  private final JobServices s;
  private final ImageCollection collection;
  private final Ending ending;
  private final Submission submission;
  private AcceptedTask task;
  private int pollsOverdue;

  /** Polls in a row that got no answer about the task (5xx, timeouts): 0 once one is answered. */
  private int failedInARow;

  private int lastProgress = -1;
  private Instant lastRunningEventAt = Instant.MIN;

  Polling(
      Attempt attempt,
      JobServices services,
      ImageCollection collection,
      Ending ending,
      Submission submission) {
    this.attempt = attempt;
    this.s = services;
    this.collection = collection;
    this.ending = ending;
    this.submission = submission;
  }

  /** Polls a task just accepted, first when the upstream expects it done. */
  void start(AcceptedTask accepted) {
    task = accepted;
    // Timed from the acceptance, not from now: recording the task took a produce round trip
    // already.
    Duration recording = Duration.between(accepted.acceptedAt(), s.clock().instant());
    Duration first = s.pollSchedule().first(accepted.estimate()).minus(recording);
    schedulePoll(first.isNegative() ? Duration.ZERO : first);
  }

  /** Polls at once a task accepted before this run took the job over. */
  void resume(AcceptedTask accepted) {
    task = accepted;
    schedulePoll(Duration.ZERO);
  }

  private void schedulePoll(Duration delay) {
    // In nanoseconds: a delay cut to whole milliseconds put the first poll up to 1 ms before the
    // estimate, which a task planned to end exactly there had not yet reached; its job then waited
    // a whole backoff for the next poll.
    s.scheduler().schedule(this::poll, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void poll() {
    if (attempt.isCancelled()) {
      return;
    }
    task.route()
        .query(
            () ->
                attempt.budgeted(
                    () ->
                        Traced.call(
                            attempt.trace().step(SpanNames.UPSTREAM_POLL, task.route().model()),
                            () -> s.upstream().query(task.id()))))
        .thenAccept(
            outcome -> {
              if (outcome instanceof Success<UpstreamTask> polled) {
                onPolled(polled.value());
              } else {
                onPollFailed((Failure<UpstreamTask>) outcome);
              }
            })
        .exceptionally(ending::crash);
  }

  private void onPolled(UpstreamTask polled) {
    failedInARow = 0;
    switch (polled.state()) {
      case COMPLETED -> collect(polled);
      case FAILED -> {
        Failure<Void> failure =
            OutcomeClassifier.fromTaskError(polled.errorCode(), polled.errorMessage());
        if (failure.kind() == FailureKind.STOP_SPENDING) {
          // Refused for money: the job is not at fault. Stop spending and submit again once it
          // resumes.
          s.spending().stopSpending("task " + task.id() + " failed with " + failure.code());
          submission.submitAgain(task.id(), "spending stopped: " + failure.code());
        } else {
          ending.fail(task.routing(), task.id(), failure);
        }
      }
      default -> {
        maybePublishRunning(polled.progress());
        pollAgainOrGiveUp();
      }
    }
  }

  private void collect(UpstreamTask completed) {
    AcceptedTask collected = task;
    collection
        .collect(collected.route(), completed)
        .thenAccept(
            outcome -> {
              if (outcome instanceof Success<List<StoredImage>> images) {
                ending.succeed(collected, completed, images.value());
              } else {
                ending.fail(collected.routing(), collected.id(), (Failure<?>) outcome);
              }
            })
        .exceptionally(ending::crash);
  }

  private void onPollFailed(Failure<UpstreamTask> failure) {
    if (failure.kind() == FailureKind.STOP_SPENDING) {
      s.spending()
          .stopSpending("polling on route " + task.route().model() + " answered " + failure.code());
    }
    if (failure.kind() != FailureKind.REJECTED) {
      failedInARow++;
      JobLog.info(
          log, attempt, "polling task {} failed ({}), will poll again", task.id(), failure.code());
      pollAgainOrGiveUp();
    } else {
      ending.fail(task.routing(), task.id(), failure);
    }
  }

  private void pollAgainOrGiveUp() {
    Duration elapsed = Duration.between(task.acceptedAt(), s.clock().instant());
    Duration timeout = s.config().polling().taskTimeout();
    if (elapsed.compareTo(timeout) >= 0) {
      ending.fail(task.routing(), task.id(), JobFailures.generationTimeout(task.id(), timeout));
      return;
    }
    if (elapsed.compareTo(task.estimate()) >= 0) {
      pollsOverdue++;
    }
    Duration next = s.pollSchedule().next(elapsed, task.estimate(), pollsOverdue);
    schedulePoll(failedInARow == 0 ? next : s.pollSchedule().afterFailures(next, failedInARow));
  }

  private void maybePublishRunning(int progress) {
    Instant now = s.clock().instant();
    boolean due =
        Duration.between(lastRunningEventAt, now)
                .compareTo(s.config().polling().runningEventEvery())
            >= 0;
    if (progress != lastProgress && (lastProgress < 0 || due)) {
      lastProgress = progress;
      lastRunningEventAt = now;
      s.publisher()
          .publish(
              s.events().running(attempt.job(), task.routing(), task.id(), progress),
              attempt.trace().traceparent());
    }
  }
}
