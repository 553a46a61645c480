package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.state.JobState;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Runs decoded jobs for the intake. */
public interface JobHandler {

  /**
   * Starts one job attempt and returns at once.
   *
   * @param partition the partition of the job's record (its state goes to the same partition)
   * @param restored this attempt's unfinished state from the state topic, left by a previous owner:
   *     with a task id the run resumes polling instead of submitting again; without one it starts
   *     over, counting a creation that may have been outstanding; else null
   * @param publishedAt the job record's timestamp, which a cancel of every queued job compares
   * @param traceparent the job record's W3C {@code traceparent} header, or null: the trace the
   *     producer asks the job to continue
   */
  RunningJob start(
      JobRequest job, int partition, JobState restored, Instant publishedAt, String traceparent);

  /** A running job attempt, as the intake sees it. */
  interface RunningJob {
    /**
     * Completes with the job's ending once it is decided (the terminal event is not yet published:
     * the intake publishes it in a transaction with the offset). Completes exceptionally only on a
     * bug in the worker.
     */
    CompletableFuture<JobEnding> ending();

    /**
     * The job is about to be handed over: lets no task creation begin that has not, and completes
     * once none is outstanding (an accepted task's state is durable, or the creation under way was
     * answered). A creation already out is what a hand-over waits for, since its next owner could
     * otherwise pay for the job again.
     */
    CompletableFuture<Void> stopCreating();

    /** Stops all further work: the job's partition was handed over, its next owner resumes it. */
    void cancel();

    /**
     * The last state this run wrote and had acknowledged (its intent, its task, waiting), or null:
     * a run started again after a worker bug takes over from it instead of from scratch.
     */
    default JobState lastRecordedState() {
      return null;
    }
  }
}
