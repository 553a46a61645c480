package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.state.JobState;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job run that survives bugs in the worker: when a run ends exceptionally (not a job failure, a
 * bug), it is started again, up to {@code attempts} runs in all; then its ending fails and the
 * intake dead-letters the record. Created on the intake thread; restarts happen on whichever thread
 * saw the failure, so the current run is kept in a volatile field.
 */
final class SupervisedRun implements JobHandler.RunningJob {
  private static final Logger log = LoggerFactory.getLogger(SupervisedRun.class);

  private final JobHandler handler;
  private final JobRequest job;
  private final int partition;
  private final Instant publishedAt;
  private final String traceparent;

  /** The state a run starts from: restored from the topic, then what a failed run last recorded. */
  private volatile JobState restored;

  private final CompletableFuture<JobEnding> ending = new CompletableFuture<>();
  private volatile JobHandler.RunningJob current;
  private volatile boolean cancelled;

  private SupervisedRun(
      JobHandler handler,
      JobRequest job,
      int partition,
      JobState restored,
      Instant publishedAt,
      String traceparent) {
    this.handler = handler;
    this.job = job;
    this.partition = partition;
    this.publishedAt = publishedAt;
    this.traceparent = traceparent;
    this.restored = restored;
  }

  static SupervisedRun start(
      JobHandler handler,
      JobRequest job,
      int partition,
      JobState restored,
      Instant publishedAt,
      String traceparent,
      int attempts) {
    SupervisedRun run =
        new SupervisedRun(handler, job, partition, restored, publishedAt, traceparent);
    run.runOnce(attempts);
    return run;
  }

  private void runOnce(int attemptsLeft) {
    JobHandler.RunningJob run;
    try {
      run = handler.start(job, partition, restored, publishedAt, traceparent);
    } catch (RuntimeException bug) {
      run = failedRun(bug);
    }
    JobHandler.RunningJob started = run;
    current = run;
    run.ending()
        .whenComplete(
            (done, error) -> {
              if (error == null) {
                ending.complete(done);
              } else if (cancelled) {
                ending.completeExceptionally(new CancellationException("handed over"));
              } else if (attemptsLeft > 1) {
                log.warn(
                    "job {} hit a worker error ({}); running it again",
                    job.jobId(),
                    error.toString());
                // From what the failed run recorded: its accepted task is polled, not paid for
                // again.
                JobState recorded = started.lastRecordedState();
                if (recorded != null) {
                  restored = recorded;
                }
                runOnce(attemptsLeft - 1);
              } else {
                ending.completeExceptionally(error);
              }
            });
  }

  @Override
  public CompletableFuture<JobEnding> ending() {
    return ending;
  }

  @Override
  public CompletableFuture<Void> stopCreating() {
    return current.stopCreating();
  }

  @Override
  public void cancel() {
    cancelled = true;
    current.cancel();
    ending.completeExceptionally(new CancellationException("handed over"));
  }

  private static JobHandler.RunningJob failedRun(RuntimeException bug) {
    CompletableFuture<JobEnding> failed = CompletableFuture.failedFuture(bug);
    return new JobHandler.RunningJob() {
      @Override
      public CompletableFuture<JobEnding> ending() {
        return failed;
      }

      @Override
      public CompletableFuture<Void> stopCreating() {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void cancel() {
        // nothing runs
      }
    };
  }
}
