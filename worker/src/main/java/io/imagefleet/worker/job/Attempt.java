package io.imagefleet.worker.job;

import io.imagefleet.contracts.Cancellation;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.tracing.JobTrace;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every step of one job attempt shares: the job and its partition, the upstream calls made so
 * far (held to {@code upstream.max-calls-per-job}), the creations whose answer never arrived,
 * whether a creation is outstanding, whether the job was handed over, and where it stands for a
 * cancel request (the {@linkplain #tryBeginCreation creation gate}), and its trace. Steps run one
 * after another on the HTTP, storage and scheduler threads, so everything here is safe to read from
 * any of them.
 */
final class Attempt {
  private final JobRequest job;
  private final int partition;
  private final int maxCalls;
  private final JobTrace trace;
  private final AtomicInteger calls = new AtomicInteger();

  /** Task creations whose answer never arrived, this attempt's previous owners' included. */
  private final AtomicInteger unconfirmed = new AtomicInteger();

  /**
   * Completes when no task creation is outstanding; a hand-over waits for it. Replaced per
   * creation.
   */
  private volatile CompletableFuture<Void> createSettled = CompletableFuture.completedFuture(null);

  private volatile boolean cancelled;

  /** Where the attempt stands for a cancel request; guarded by this. */
  private enum Gate {
    /** No creation under way and no task: a cancel stops the attempt. */
    OPEN,
    /** A task creation has begun (its intent is being recorded, or the call is out). */
    CREATING,
    /** The upstream accepted a task: it is paid for. */
    PAID,
    /** Stopped by a cancel before any creation: nothing more may start. */
    STOPPED
  }

  private Gate gate = Gate.OPEN;

  /** The cancel request that reached the attempt, with what it did; guarded by this. */
  private Cancellation cancellation;

  Attempt(JobRequest job, int partition, int maxCalls, JobTrace trace) {
    this.job = job;
    this.partition = partition;
    this.maxCalls = maxCalls;
    this.trace = trace;
  }

  /** The job's trace on this worker: every step's span hangs under its anchor. */
  JobTrace trace() {
    return trace;
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

  /** Completes when no creation is outstanding now; stops nothing. */
  CompletableFuture<Void> creationSettledFuture() {
    return createSettled;
  }

  /**
   * The job is about to be handed over: a creation not yet begun never begins (the attempt stops
   * now, as the hand-over would stop it), and the future completes once none is outstanding: at
   * once, or when the creation under way is answered or its task recorded. A job waiting its turn
   * in a paced lane so holds no hand-over, which would otherwise wait for every turn before its.
   */
  synchronized CompletableFuture<Void> stopCreating() {
    if (gate == Gate.OPEN) {
      cancelled = true;
      return CompletableFuture.completedFuture(null);
    }
    return createSettled;
  }

  /**
   * A task creation is about to begin (before its intent is recorded): false when a cancel stopped
   * the attempt, or it was handed over, and nothing may be created. Between this and the creation's
   * answer a cancel comes too late: the creation may be paid for.
   */
  synchronized boolean tryBeginCreation() {
    if (gate == Gate.STOPPED || cancelled) {
      return false;
    }
    gate = Gate.CREATING;
    return true;
  }

  /** The creation was answered without a task: a cancel may stop the attempt again. */
  synchronized void creationRefused() {
    if (gate == Gate.CREATING) {
      gate = Gate.OPEN;
    }
  }

  /** The upstream accepted a task (now, or before a hand-over): a cancel can no longer save it. */
  synchronized void taskAccepted() {
    gate = Gate.PAID;
  }

  /**
   * A cancel request covers this attempt. The first one counts. Returns true when it stops the
   * attempt (no creation begun): the caller ends it as cancelled and every step stops. Otherwise
   * the attempt goes on to its end, which names the request.
   */
  synchronized boolean cancelRequested(Cancellation note) {
    if (cancellation != null) {
      return false;
    }
    if (gate == Gate.OPEN && !cancelled) {
      cancellation = note.withOutcome(Cancellation.Outcome.NOT_SUBMITTED);
      gate = Gate.STOPPED;
      cancelled = true;
      return true;
    }
    cancellation = note.withOutcome(Cancellation.Outcome.PAID_TASK_FINISHED);
    return false;
  }

  /**
   * Runs {@code write} unless a cancel has stopped the attempt, atomically with the cancel: a state
   * written for a stopped attempt could land after its ENDED state and make it run again.
   */
  synchronized void unlessStopped(Runnable write) {
    if (gate != Gate.STOPPED) {
      write.run();
    }
  }

  /** The terminal event with what this attempt spent on the upstream, and the cancel it met. */
  synchronized StatusEvent withCounts(StatusEvent terminal) {
    StatusEvent counted = terminal.withUpstreamCalls(calls.get(), unconfirmed.get());
    return cancellation == null ? counted : counted.withCancellation(cancellation);
  }
}
