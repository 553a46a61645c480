package io.imagefleet.worker.intake;

import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.intake.Outputs.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes terminal events, the jobs' ENDED states, dead letters and the consumed offsets in one
 * Kafka transaction, batched: one transaction per commit interval for every job that ended in it. A
 * {@code read_committed} reader therefore sees a job's terminal event exactly when its offset is
 * committed, and a worker that lost its partitions (its group generation is stale) cannot commit
 * either: the broker refuses the offsets and the whole transaction aborts (KIP-447 fencing). Used
 * by one thread at a time: the intake thread starts it ({@link #init}), the commit thread runs its
 * transactions one after another.
 *
 * <p>A commit whose answer is lost (it timed out for good, or the producer failed after asking for
 * it) may have committed. Sending its endings again would show a reader two terminal events of one
 * job, so the outcome is settled first: a new producer with the same transactional id resolves the
 * transaction, and one of its records is read back as a {@code read_committed} reader would.
 */
final class TransactionalCommitter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransactionalCommitter.class);

  /** Attempts of a commit that keeps timing out before its outcome is settled by reading back. */
  private static final int COMMIT_ATTEMPTS = 3;

  /**
   * Transactions made for one batch while the producer refuses some of its records: each round
   * replaces them.
   */
  private static final int MAX_ISOLATION_ROUNDS = 4;

  private final Supplier<Producer<byte[], byte[]>> factory;
  private final CommitCheck check;
  private final Outputs outputs;
  private Producer<byte[], byte[]> producer;
  private final TransactionStats stats = new TransactionStats();

  /**
   * @param outputs turns endings and letters into the records a transaction carries
   */
  TransactionalCommitter(
      Supplier<Producer<byte[], byte[]>> factory, CommitCheck check, Outputs outputs) {
    this.factory = factory;
    this.outputs = outputs;
    this.check = check;
  }

  /**
   * One job record's part of a transaction: its event, from the partition and offset its record
   * came from, (when it ends the attempt) the job's ENDED state, and the callback it owes, if any.
   * {@code traceparent} is the job's trace anchor as the intake holds it, and the {@code
   * job.commit} step's once that is started: the event and the owed callback carry it on.
   */
  record Ending(
      String topic,
      int partition,
      long offset,
      StatusEvent event,
      boolean endsAttempt,
      String callbackUrl,
      String traceparent) {
    Ending(String topic, int partition, long offset, StatusEvent event, boolean endsAttempt) {
      this(topic, partition, offset, event, endsAttempt, null, null);
    }

    Ending(
        String topic,
        int partition,
        long offset,
        StatusEvent event,
        boolean endsAttempt,
        String callbackUrl) {
      this(topic, partition, offset, event, endsAttempt, callbackUrl, null);
    }

    /** This ending, traced under {@code commitTraceparent}. */
    Ending tracedAs(String commitTraceparent) {
      return new Ending(
          topic, partition, offset, event, endsAttempt, callbackUrl, commitTraceparent);
    }
  }

  /**
   * Commits {@code endings}, {@code deadLetters} and {@code offsets} atomically. Returns false when
   * the transaction was aborted; nothing of it is visible then, and the caller keeps the endings
   * for the next try. An ending or letter that can never be written (too large, unencodable) does
   * not abort the others: it is replaced by a smaller stand-in before it is sent, or after the
   * producer refused it, and the transaction is made again without it (invariant 8).
   */
  boolean commit(
      List<Ending> endings,
      List<ProducerRecord<byte[], byte[]>> deadLetters,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group) {
    if (endings.isEmpty() && deadLetters.isEmpty() && offsets.isEmpty()) {
      return true;
    }
    List<Output> parts = new ArrayList<>();
    endings.forEach(e -> parts.add(outputs.of(e)));
    deadLetters.forEach(letter -> parts.add(outputs.of(letter)));
    for (int round = 1; ; round++) {
      Attempt attempt = attempt(parts, offsets, group);
      if (attempt.committed()) {
        stats.committed(endings.size(), attempt.nanos());
        return true;
      }
      if (attempt.refused().isEmpty() || round == MAX_ISOLATION_ROUNDS) {
        return false;
      }
      for (int i : attempt.refused()) {
        log.warn(
            "the producer refused {}; it is replaced by a smaller stand-in and the rest commit",
            parts.get(i).describe());
        parts.set(i, outputs.standIn(parts.get(i)));
      }
    }
  }

  /**
   * The outcome of one try at a transaction; {@code refused} lists the outputs the producer refused
   * for good.
   */
  private record Attempt(boolean committed, List<Integer> refused, long nanos) {}

  private Attempt attempt(
      List<Output> parts,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group) {
    Producer<byte[], byte[]> p = producer();
    long started = System.nanoTime();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    List<List<Future<RecordMetadata>>> byOutput = new ArrayList<>();
    try {
      p.beginTransaction();
      for (Output output : parts) {
        List<Future<RecordMetadata>> own = new ArrayList<>();
        byOutput.add(own);
        for (ProducerRecord<byte[], byte[]> record : output.records()) {
          Future<RecordMetadata> f = p.send(record);
          own.add(f);
          sent.add(f);
        }
      }
      if (!offsets.isEmpty()) {
        p.sendOffsetsToTransaction(offsets, group);
      }
    } catch (KafkaException e) {
      List<Integer> refused = refused(byOutput);
      aborted(p, parts.size(), e);
      return new Attempt(false, refused, 0);
    }
    boolean committed;
    try {
      commitRetryingTimeouts(p);
      committed = true;
    } catch (KafkaException e) {
      List<Integer> refused = refused(byOutput);
      if (!refused.isEmpty()) {
        aborted(p, parts.size(), e);
        return new Attempt(false, refused, 0);
      }
      committed = settleLostCommit(p, sent, parts.size(), e);
    }
    return new Attempt(committed, List.of(), System.nanoTime() - started);
  }

  /** Outputs with a record the producer refused for a reason that sending it again cannot cure. */
  private static List<Integer> refused(List<List<Future<RecordMetadata>>> byOutput) {
    List<Integer> refused = new ArrayList<>();
    for (int i = 0; i < byOutput.size(); i++) {
      if (byOutput.get(i).stream().anyMatch(TransactionalCommitter::refusedForGood)) {
        refused.add(i);
      }
    }
    return refused;
  }

  private static boolean refusedForGood(Future<RecordMetadata> f) {
    if (!f.isDone()) {
      return false;
    }
    try {
      f.get();
      return false;
    } catch (ExecutionException e) {
      return RecordBudget.isRefusedForGood(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A commit that timed out may be asked for again (the producer waits for the same outcome). */
  private static void commitRetryingTimeouts(Producer<byte[], byte[]> p) {
    for (int attempt = 1; ; attempt++) {
      try {
        p.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (attempt == COMMIT_ATTEMPTS) {
          throw e;
        }
        log.warn("committing a transaction timed out; asking again ({})", e.getMessage());
      }
    }
  }

  /**
   * The commit failed. If a record never reached the broker, the commit was never asked for: the
   * transaction aborts and its endings are sent again. Otherwise the outcome is unknown until the
   * transaction is resolved, which a new producer's registration does; then one record tells.
   */
  private boolean settleLostCommit(
      Producer<byte[], byte[]> p,
      List<Future<RecordMetadata>> sent,
      int endings,
      KafkaException error) {
    Optional<RecordMetadata> probe = allAcknowledged(sent);
    if (probe.isEmpty()) {
      return aborted(p, endings, error);
    }
    log.warn(
        "the answer to a commit was lost ({}); settling its outcome before sending anything again",
        error.toString());
    discard();
    producer(); // registering the transactional id completes or aborts the old transaction
    RecordMetadata record = probe.get();
    boolean committed;
    try {
      committed =
          check.isCommitted(
              new TopicPartition(record.topic(), record.partition()), record.offset());
    } catch (RuntimeException unknown) {
      // Sending again risks a second copy; not sending risks a job without its end. A copy is the
      // lesser harm.
      log.error(
          "could not settle a lost commit ({}); its endings go again and a reader may see them twice",
          unknown.toString());
      return false;
    }
    log.warn(
        "the transaction with the lost commit answer {}",
        committed ? "committed: nothing is sent again" : "aborted: its endings go in the next one");
    return committed;
  }

  /**
   * One acknowledged record of the transaction when every send was acknowledged; empty otherwise.
   */
  private static Optional<RecordMetadata> allAcknowledged(List<Future<RecordMetadata>> sent) {
    RecordMetadata any = null;
    for (Future<RecordMetadata> f : sent) {
      if (!f.isDone()) {
        return Optional.empty();
      }
      try {
        any = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (ExecutionException e) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(any);
  }

  /** Aborts the open transaction (or drops a producer that cannot); nothing of it is visible. */
  private boolean aborted(Producer<byte[], byte[]> p, int endings, KafkaException e) {
    if (e instanceof ProducerFencedException) {
      // Another producer took this transactional id: this one can never be used again.
      log.warn("transactional producer fenced; starting a new one ({})", e.getMessage());
      discard();
      return false;
    }
    log.warn("transaction aborted, {} ending(s) kept for the next one: {}", endings, e.toString());
    try {
      p.abortTransaction();
    } catch (KafkaException abortFailed) {
      discard();
    }
    return false;
  }

  /**
   * Starts the transactional producer now. Called before the worker joins its group: registering
   * the transactional id aborts whatever transaction a previous incarnation with the same worker id
   * left open, so restoring the partitions it owned does not wait for the transaction timeout.
   */
  void init() {
    producer();
  }

  private Producer<byte[], byte[]> producer() {
    if (producer == null) {
      producer = factory.get();
      producer.initTransactions();
    }
    return producer;
  }

  private void discard() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (KafkaException ignored) {
        // already broken
      }
      producer = null;
    }
  }

  /** What transactions have cost so far. */
  TransactionStats stats() {
    return stats;
  }

  @Override
  public void close() {
    log.info("transactions: {}", stats);
    discard();
  }
}
