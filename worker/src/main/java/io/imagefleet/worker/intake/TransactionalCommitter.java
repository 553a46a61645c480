package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes terminal events, the jobs' ENDED states, dead letters and the consumed offsets in one Kafka transaction,
 * batched: one transaction per commit interval for every job that ended in it. A {@code read_committed}
 * reader therefore sees a job's terminal event exactly when its offset is committed, and a worker that
 * lost its partitions (its group generation is stale) cannot commit either: the broker refuses the
 * offsets and the whole transaction aborts (KIP-447 fencing). Owned by the intake thread.
 */
final class TransactionalCommitter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransactionalCommitter.class);

  private final Supplier<Producer<byte[], byte[]>> factory;
  private final String eventsTopic;
  private final String stateTopic;
  private final String workerId;
  private final Clock clock;
  private Producer<byte[], byte[]> producer;
  private final TransactionStats stats = new TransactionStats();

  TransactionalCommitter(Supplier<Producer<byte[], byte[]>> factory, String eventsTopic, String stateTopic,
      String workerId, Clock clock) {
    this.factory = factory;
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
    try {
      p.beginTransaction();
      for (Ending e : endings) {
        byte[] key = e.terminal().jobId().getBytes(StandardCharsets.UTF_8);
        p.send(new ProducerRecord<>(eventsTopic, key, JobCodec.encodeEvent(e.terminal())));
        JobState ended = JobState.ended(e.terminal().jobId(), e.terminal().attempt(), e.terminal().route(),
            e.terminal().upstreamTaskId(), e.terminal().status(), clock.instant(), workerId);
        p.send(new ProducerRecord<>(stateTopic, e.partition(), key, StateCodec.encode(ended)));
      }
      deadLetters.forEach(p::send);
      if (!offsets.isEmpty()) {
        p.sendOffsetsToTransaction(offsets, group);
      }
      p.commitTransaction();
      stats.committed(endings.size(), System.nanoTime() - started);
      return true;
    } catch (ProducerFencedException e) {
      // Another producer took this transactional id: this one can never be used again.
      log.warn("transactional producer fenced; starting a new one ({})", e.getMessage());
      discard();
      return false;
    } catch (KafkaException e) {
      log.warn("transaction aborted, {} ending(s) kept for the next one: {}", endings.size(), e.toString());
      try {
        p.abortTransaction();
      } catch (KafkaException abortFailed) {
        discard();
      }
      return false;
    }
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
