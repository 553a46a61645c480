package io.imagefleet.worker.intake;

import io.imagefleet.worker.config.IntakeSettings;
import io.imagefleet.worker.events.EventObserver;
import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.tracing.TraceContextCodec;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pace of transactions: one at a time, on the committer's executor, at most one per commit
 * interval and a commit gap after the last one ended; its outcome is applied on the intake thread,
 * which alone calls this class. A committed batch is final; an aborted one goes first in the next.
 */
final class CommitCycle {
  private static final Logger log = LoggerFactory.getLogger(CommitCycle.class);

  private final TransactionalCommitter committer;
  private final Executor commits;
  private final Consumer<byte[], byte[]> consumer;
  private final IntakeSettings settings;
  private final EventObserver observer;
  private final Clock clock;
  private final JobTracing tracing;
  private Instant lastCommit = Instant.EPOCH;

  /** When the last transaction ended: the next one starts at least the commit gap later. */
  private Instant lastCommitEnded = Instant.EPOCH;

  /** The transaction running on the committer's thread, with what it took; null when none runs. */
  private CompletableFuture<Boolean> commitInFlight;

  private CommitBatch batchInFlight;

  private CommitSpans spansInFlight;

  CommitCycle(
      TransactionalCommitter committer,
      Executor commits,
      Consumer<byte[], byte[]> consumer,
      IntakeSettings settings,
      EventObserver observer,
      Clock clock,
      JobTracing tracing) {
    this.committer = committer;
    this.tracing = tracing;
    this.commits = commits;
    this.consumer = consumer;
    this.settings = settings;
    this.observer = observer;
    this.clock = clock;
  }

  /**
   * Applies a finished transaction; starts the next one for {@code all} when it is due and none
   * runs.
   *
   * @param nothingRunning no job runs: there is nothing to batch with, so what ended goes out at
   *     once
   */
  void commitIfDue(Collection<AssignedPartition> all, boolean nothingRunning) {
    applyFinished();
    if (commitInFlight != null || clock.instant().isBefore(nextCommitAt(nothingRunning))) {
      return; // one transaction at a time: what ended meanwhile goes in the next
    }
    start(all, true);
  }

  /**
   * The earliest start of the next transaction: a commit interval after the last one started, and a
   * commit gap after it ended. The gap is for the broker: it completes a transaction (writes its
   * markers) after answering its commit, and a transaction begun meanwhile is answered
   * CONCURRENT_TRANSACTIONS and waits the client's whole retry backoff, where a short gap avoids
   * most of those waits (docs/benchmark-log.md, "Slow start and the commit gap", has the runs).
   */
  Instant nextCommitAt(boolean nothingRunning) {
    Instant byInterval = nothingRunning ? lastCommit : lastCommit.plus(settings.commitInterval());
    Instant byGap = lastCommitEnded.plus(settings.commitGap());
    return byInterval.isAfter(byGap) ? byInterval : byGap;
  }

  /**
   * Answers, dead letters or offsets of {@code all} wait for a transaction, and none is running.
   */
  boolean isWaiting(Collection<AssignedPartition> all) {
    return commitInFlight == null && CommitBatch.wouldCarry(all);
  }

  /**
   * Commits what {@code which} holds and waits: for rebalances and the stop, where nothing may be
   * left running.
   */
  void commitNow(Collection<AssignedPartition> which) {
    await();
    start(which, false);
    await();
  }

  /** Waits for the running transaction, if any, and applies its outcome. */
  void await() {
    if (commitInFlight != null) {
      commitInFlight.handle((ok, error) -> null).join();
      applyFinished();
    }
  }

  private void start(Collection<AssignedPartition> which, boolean wakeWhenDone) {
    CommitBatch batch = CommitBatch.take(which);
    if (batch.isEmpty()) {
      return;
    }
    lastCommit = clock.instant();
    var group = consumer.groupMetadata();
    batchInFlight = batch;
    CommitSpans spans = CommitSpans.start(tracing, batch.endings());
    spansInFlight = spans;
    commitInFlight =
        CompletableFuture.supplyAsync(
            () -> committer.commit(spans.endings(), batch.letters(), batch.offsets(), group),
            commits);
    if (commitInFlight.isDone()) {
      applyFinished();
    } else if (wakeWhenDone) {
      // Apply the outcome and start the next transaction at once, not when the poll times out.
      commitInFlight.whenComplete((ok, error) -> consumer.wakeup());
    }
  }

  /**
   * The outcome of a finished transaction: committed answers are final, the rest waits for the next
   * one.
   */
  private void applyFinished() {
    if (commitInFlight == null || !commitInFlight.isDone()) {
      return;
    }
    boolean committed;
    try {
      committed = commitInFlight.join();
    } catch (RuntimeException e) {
      log.warn("a transaction failed unexpectedly; its endings go in the next one", e);
      committed = false;
    }
    CommitBatch batch = batchInFlight;
    spansInFlight.ended(committed);
    lastCommitEnded = clock.instant();
    commitInFlight = null;
    batchInFlight = null;
    spansInFlight = null;
    if (!committed) {
      batch.putBack(); // kept: the next transaction carries them again
      return;
    }
    batch.committed(
        clock.instant(),
        settings.rememberedEndedJobs(),
        this::afterCommit,
        reason -> observer.deadLettered(DeadLetters.reasonCode(reason)));
  }

  private void afterCommit(JobEnding ending) {
    try {
      // In the job's trace, so the job meters' exemplars name it.
      try (Scope inTrace = TraceContextCodec.makeCurrent(ending.traceparent())) {
        observer.published(ending.event());
      }
      ending.afterCommit().run();
    } catch (RuntimeException e) {
      log.warn("work after job {} ended failed", ending.event().jobId(), e);
    }
  }
}
