package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
 * Writes terminal events, the jobs' ENDED states, dead letters and the consumed offsets in one Kafka transaction,
 * batched: one transaction per commit interval for every job that ended in it. A {@code read_committed}
 * reader therefore sees a job's terminal event exactly when its offset is committed, and a worker that
 * lost its partitions (its group generation is stale) cannot commit either: the broker refuses the
 * offsets and the whole transaction aborts (KIP-447 fencing). Used by one thread at a time: the
 * intake thread starts it ({@link #init}), the commit thread runs its transactions one after another.
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

  private final Supplier<Producer<byte[], byte[]>> factory;
  private final String eventsTopic;
  private final String stateTopic;
  private final String workerId;
  private final Clock clock;
  private final CommitCheck check;
  private Producer<byte[], byte[]> producer;
  private final TransactionStats stats = new TransactionStats();

  TransactionalCommitter(Supplier<Producer<byte[], byte[]>> factory, String eventsTopic, String stateTopic,
      String workerId, Clock clock, CommitCheck check) {
    this.factory = factory;
    this.check = check;
    this.eventsTopic = eventsTopic;
    this.stateTopic = stateTopic;
    this.workerId = workerId;
    this.clock = clock;
  }

  /** One job's part of a transaction: its terminal event, from the partition its record came from. */
  record Ending(int partition, StatusEvent terminal) {}

  /**
   * Commits {@code endings} and {@code offsets} atomically. Returns false when the transaction was
   * aborted; nothing of it is visible then, and the caller keeps the endings for the next try.
   */
  boolean commit(List<Ending> endings, List<ProducerRecord<byte[], byte[]>> deadLetters,
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    if (endings.isEmpty() && deadLetters.isEmpty() && offsets.isEmpty()) {
      return true;
    }
    Producer<byte[], byte[]> p = producer();
    long started = System.nanoTime();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try {
      p.beginTransaction();
      for (Ending e : endings) {
        byte[] key = e.terminal().jobId().getBytes(StandardCharsets.UTF_8);
        sent.add(p.send(new ProducerRecord<>(eventsTopic, key, JobCodec.encodeEvent(e.terminal()))));
        JobState ended = JobState.ended(e.terminal().jobId(), e.terminal().attempt(), e.terminal().route(),
            e.terminal().upstreamTaskId(), e.terminal().status(), clock.instant(), workerId);
        sent.add(p.send(new ProducerRecord<>(stateTopic, e.partition(), key, StateCodec.encode(ended))));
      }
      deadLetters.forEach(letter -> sent.add(p.send(letter)));
      if (!offsets.isEmpty()) {
        p.sendOffsetsToTransaction(offsets, group);
      }
    } catch (KafkaException e) {
      return aborted(p, endings.size(), e);
    }
    boolean committed;
    try {
      commitRetryingTimeouts(p);
      committed = true;
    } catch (KafkaException e) {
      committed = settleLostCommit(p, sent, endings.size(), e);
    }
    if (committed) {
      stats.committed(endings.size(), System.nanoTime() - started);
    }
    return committed;
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
  private boolean settleLostCommit(Producer<byte[], byte[]> p, List<Future<RecordMetadata>> sent, int endings,
      KafkaException error) {
    Optional<RecordMetadata> probe = allAcknowledged(sent);
    if (probe.isEmpty()) {
      return aborted(p, endings, error);
    }
    log.warn("the answer to a commit was lost ({}); settling its outcome before sending anything again",
        error.toString());
    discard();
    producer(); // registering the transactional id completes or aborts the old transaction
    RecordMetadata record = probe.get();
    boolean committed;
    try {
      committed = check.isCommitted(new TopicPartition(record.topic(), record.partition()), record.offset());
    } catch (RuntimeException unknown) {
      // Sending again risks a second copy; not sending risks a job without its end. A copy is the lesser harm.
      log.error("could not settle a lost commit ({}); its endings go again and a reader may see them twice",
          unknown.toString());
      return false;
    }
    log.warn("the transaction with the lost commit answer {}", committed ? "committed: nothing is sent again"
        : "aborted: its endings go in the next one");
    return committed;
  }

  /** One acknowledged record of the transaction when every send was acknowledged; empty otherwise. */
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
   * Starts the transactional producer now. Called before the worker joins its group: registering the
   * transactional id aborts whatever transaction a previous incarnation with the same worker id left
   * open, so restoring the partitions it owned does not wait for the transaction timeout.
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
        producer.close(java.time.Duration.ofSeconds(5));
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
