package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every step of one job attempt shares: the job and its partition, the upstream calls made so
 * far (held to {@code upstream.max-calls-per-job}), the creations whose answer never arrived,
 * whether a creation is outstanding, and whether the job was handed over. Steps run one after
 * another on the HTTP, storage and scheduler threads, so everything here is safe to read from any
 * of them.
 */
final class Attempt {
  private final JobRequest job;
  private final int partition;
  private final int maxCalls;
  private final AtomicInteger calls = new AtomicInteger();

  /** Task creations whose answer never arrived, this attempt's previous owners' included. */
  private final AtomicInteger unconfirmed = new AtomicInteger();

  /**
   * Completes when no task creation is outstanding; a hand-over waits for it. Replaced per
   * creation.
   */
  private volatile CompletableFuture<Void> createSettled = CompletableFuture.completedFuture(null);

  private volatile boolean cancelled;

  Attempt(JobRequest job, int partition, int maxCalls) {
    this.job = job;
    this.partition = partition;
    this.maxCalls = maxCalls;
  }

  JobRequest job() {
    return job;
  }

  int partition() {
    return partition;
  }

  boolean isCancelled() {
    return cancelled;
  }

  /**
   * The job's partition was handed over: every step stops; the next owner resumes from the state
   * topic.
   */
  void cancel() {
    cancelled = true;
  }

  /**
   * Counts {@code call} against the job's call budget; past the budget, answers a failure without
   * calling.
   */
  <T> CompletableFuture<UpstreamOutcome<T>> budgeted(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    if (calls.incrementAndGet() > maxCalls) {
      return CompletableFuture.completedFuture(JobFailures.callBudgetSpent(maxCalls));
    }
    return call.get();
  }

  int unconfirmed() {
    return unconfirmed.get();
  }

  /** Takes over the count of unconfirmed creations left by a previous owner. */
  void restoreUnconfirmed(int count) {
    unconfirmed.set(count);
  }

  /** A creation lost its answer: the upstream may hold a paid task this fleet cannot find. */
  void countUnconfirmed() {
    unconfirmed.incrementAndGet();
  }

  /** A creation is about to start: a hand-over waits until it is answered or its task recorded. */
  void creationStarted() {
    createSettled = new CompletableFuture<>();
  }

  /** No creation is outstanding any more. */
  void creationSettled() {
    createSettled.complete(null);
  }

  CompletableFuture<Void> creationSettledFuture() {
    return createSettled;
  }

  /** The terminal event with what this attempt spent on the upstream. */
  StatusEvent withCounts(StatusEvent terminal) {
    return terminal.withUpstreamCalls(calls.get(), unconfirmed.get());
  }
}
