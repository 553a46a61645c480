package io.imagefleet.worker.job;

import io.imagefleet.contracts.Cancellation;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.intake.JobEnding;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamTask;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * The one ending of a job attempt: its terminal event, with the calls it made, handed to the
 * intake. The intake publishes it in a transaction together with the job's ENDED state, the
 * callback it owes and its offset; budget settlement follows once that is committed. A second
 * ending is ignored.
 */
final class Ending {
  private static final Logger log = JobLog.RUN;

  private final Attempt attempt;
  private final JobServices s;
  private final CompletableFuture<JobEnding> done = new CompletableFuture<>();

  Ending(Attempt attempt, JobServices services) {
    this.attempt = attempt;
    this.s = services;
  }

  CompletableFuture<JobEnding> future() {
    return done;
  }

  void succeed(AcceptedTask task, UpstreamTask result, List<StoredImage> images) {
    JobRequest job = attempt.job();
    TokenUsage usage = result.usage() == null ? TokenUsage.NONE : result.usage();
    BigDecimal cost =
        CostCalculator.cost(
            usage, job.n(), s.config().route(task.route().model()).orElseThrow().prices());
    JobLog.info(
        log,
        attempt,
        "job succeeded: {} image(s) stored, {} tokens, ${}",
        images.size(),
        usage.totalTokens(),
        cost);
    finish(s.events().succeeded(job, task.routing(), task.id(), images, usage, cost));
  }

  /** Fails the job on {@code where}, with the task it had, if any. */
  void fail(Routing where, String taskId, Failure<?> failure) {
    JobLog.info(
        log,
        attempt,
        "job failed: code={} route={} ({})",
        failure.code(),
        where.route(),
        failure.message());
    finish(s.events().failed(attempt.job(), where, taskId, JobFailures.toError(failure)));
  }

  /** Fails the job before any route was chosen (invalid, or unsafe to submit again). */
  void fail(JobError error) {
    finish(s.events().failed(attempt.job(), Routing.NONE, null, error));
  }

  /**
   * A cancel request stopped the job before any task was created: FAILED {@code cancelled}, with
   * the estimate on its own route (what the cancel saved) and the request named.
   */
  void cancel(Cancellation note) {
    JobLog.info(log, attempt, "job cancelled before submission by request {}", note.requestId());
    fail(JobFailures.cancelled(note));
  }

  /** Ends the job before it spent anything (over its ceiling or its tenant's budget). */
  void refuse(JobError error) {
    JobLog.info(
        log, attempt, "job refused before spending: code={} ({})", error.code(), error.message());
    fail(error);
  }

  /**
   * A bug in the worker: the run ends without a terminal event, and the intake decides what
   * follows.
   */
  Void crash(Throwable error) {
    JobLog.error(log, attempt, "job {} hit a bug in the worker", attempt.job().jobId(), error);
    attempt.trace().refused("worker_error");
    attempt.creationSettled();
    done.completeExceptionally(error);
    return null;
  }

  private void finish(StatusEvent event) {
    StatusEvent terminal = attempt.withCounts(event);
    attempt.creationSettled();
    if (terminal.error() != null) {
      attempt.trace().refused(terminal.error().code()); // ended during admission, if it was open
    } else {
      attempt.trace().admitted();
    }
    done.complete(
        new JobEnding(
            terminal,
            () -> afterEnd(terminal),
            true,
            attempt.job().callbackUrl(),
            attempt.trace().traceparent()));
  }

  /**
   * Budget settlement follows a durable ending; it never changes it. (The callback is owed in the
   * ending's own transaction.)
   */
  private void afterEnd(StatusEvent terminal) {
    try {
      s.limits().settle(attempt.job(), terminal);
      s.afterEnd().onTerminal(attempt.job(), terminal);
    } catch (RuntimeException e) {
      log.warn("job {}: work after its end failed", attempt.job().jobId(), e);
    }
  }
}
