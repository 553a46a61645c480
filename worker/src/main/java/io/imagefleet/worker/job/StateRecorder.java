package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.state.JobState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Writes a job attempt's states to the job-state topic: the intent before a task creation, the
 * accepted task, and waiting between creations. These records are what lets a crash, a rebalance or
 * a replay resume the job without paying twice (invariant 3). Used by one step at a time.
 */
final class StateRecorder {
  private static final Logger log = JobLog.RUN;

  private final Attempt attempt;
  private final JobServices s;

  /**
   * The count written in the durable SUBMITTING state, or -1 while none is (nothing outstanding).
   */
  private int intentRecorded = -1;

  /** The last state written and acknowledged, for a run started again after a worker bug. */
  private volatile JobState lastRecorded;

  StateRecorder(Attempt attempt, JobServices services) {
    this.attempt = attempt;
    this.s = services;
  }

  JobState lastRecorded() {
    return lastRecorded;
  }

  /**
   * Before a task creation, records SUBMITTING (with the unconfirmed count so far) and waits for
   * the acknowledgement, unless that very state is already recorded. A worker that dies
   * mid-creation so leaves a trace: its successor knows the upstream may hold a paid task, instead
   * of silently paying again. Costs one state write per job in the common case.
   */
  CompletableFuture<Void> recordIntent() {
    int count = attempt.unconfirmed();
    if (intentRecorded == count) {
      return CompletableFuture.completedFuture(null);
    }
    JobRequest job = attempt.job();
    CompletableFuture<Void> recorded = new CompletableFuture<>();
    writeUntilAcknowledged(
        traced(
            JobState.submitting(
                JobIdentity.of(job),
                job.attempt(),
                count,
                s.clock().instant(),
                s.config().workerId())),
        recorded);
    return recorded.thenRun(() -> intentRecorded = count);
  }

  /**
   * Waiting between creations: nothing is outstanding, so a successor need not count one (best
   * effort).
   */
  void recordWaiting() {
    if (intentRecorded < 0) {
      return;
    }
    intentRecorded = -1;
    JobRequest job = attempt.job();
    JobState waiting =
        traced(
            JobState.waiting(
                JobIdentity.of(job),
                job.attempt(),
                attempt.unconfirmed(),
                s.clock().instant(),
                s.config().workerId()));
    s.states()
        .write(attempt.partition(), waiting)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                lastRecorded = waiting;
              } else {
                JobLog.warn(
                    log,
                    attempt,
                    "could not record that the job is waiting ({})",
                    error.toString());
              }
            });
  }

  /**
   * Records the accepted task before anything else happens to the job: from the acknowledgement on,
   * a crash or hand-over resumes this task instead of paying for another. A write that fails is
   * tried again; the job does not go on without it.
   */
  CompletableFuture<Void> recordTask(JobState submitted) {
    CompletableFuture<Void> recorded = new CompletableFuture<>();
    writeUntilAcknowledged(traced(submitted), recorded);
    return recorded;
  }

  /**
   * Every state carries the job's trace anchor: whichever state a next owner finds, it continues
   * the job's trace there.
   */
  private JobState traced(JobState state) {
    return state.withTraceparent(attempt.trace().traceparent());
  }

  /**
   * Writes {@code state}, trying again every second until acknowledged or the job is handed over.
   */
  private void writeUntilAcknowledged(JobState state, CompletableFuture<Void> recorded) {
    s.states()
        .write(attempt.partition(), state)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                lastRecorded = state;
              }
              if (error == null || attempt.isCancelled()) {
                recorded.complete(null);
                return;
              }
              if (RecordBudget.isRefusedForGood(error)) {
                recorded.completeExceptionally(error); // trying again would hold the job for ever
                return;
              }
              JobLog.warn(
                  log,
                  attempt,
                  "could not record state {} ({}), trying again",
                  state.phase(),
                  error.toString());
              s.scheduler()
                  .schedule(() -> writeUntilAcknowledged(state, recorded), 1, TimeUnit.SECONDS);
            });
  }
}
