package io.imagefleet.worker.job;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.JobRequest;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Cancel requests as job runs see them: a run watches for the cancels that cover it while it runs,
 * and before its first task creation waits until every cancel written before it was read has been
 * applied, so that a cancel that reached Kafka before its job was read always finds it unpaid.
 * Thread safe.
 */
public interface CancelRequests {

  /**
   * Calls {@code onCancel}, on any thread, with the cancel requests that cover the job (one already
   * known is passed before this returns), until the watch is closed.
   *
   * @param publishedAt the job record's timestamp: what a cancel of every queued job compares
   */
  Watch watch(JobRequest job, Instant publishedAt, Consumer<CancelRequest> onCancel);

  /**
   * Completes, never exceptionally, once every cancel request written to the control topics before
   * {@code at} has been applied (its watchers called).
   */
  CompletableFuture<Void> appliedThrough(Instant at);

  /** One run's watch; closing it twice is harmless. */
  interface Watch {
    void close();
  }

  /** No control topic: nothing is ever cancelled, and nothing waits. */
  CancelRequests NONE =
      new CancelRequests() {
        @Override
        public Watch watch(JobRequest job, Instant publishedAt, Consumer<CancelRequest> onCancel) {
          return () -> {};
        }

        @Override
        public CompletableFuture<Void> appliedThrough(Instant at) {
          return CompletableFuture.completedFuture(null);
        }
      };
}
