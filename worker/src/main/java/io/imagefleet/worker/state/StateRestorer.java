package io.imagefleet.worker.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition of the job-state topic from the beginning to its end, as committed data only:
 * a state written inside a transaction that the previous owner never committed (it crashed) must
 * not count. Reading waits while such a transaction is open; the broker aborts it after {@code
 * transaction.timeout.ms}, or at once when the same worker id restarts. Restoring is owned by the
 * intake thread; {@link #isCommitted} by the commit thread, with a consumer of its own (a consumer
 * is never shared between threads). Its consumers join no group.
 */
public final class StateRestorer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateRestorer.class);

  private final KafkaConsumer<byte[], byte[]> committed;
  private final KafkaConsumer<byte[], byte[]> latest;
  private final String topic;
  private final Duration timeout;
  private final Properties clientProperties;

  /** For {@link #isCommitted}, made on first use: lost commit answers are rare. */
  private KafkaConsumer<byte[], byte[]> checker;

  /**
   * @param clientProperties connection settings (bootstrap, security); group and isolation are set
   *     here
   */
  public StateRestorer(Properties clientProperties, String topic, Duration timeout) {
    this.topic = topic;
    this.timeout = timeout;
    this.clientProperties = clientProperties;
    this.committed = consumer(clientProperties, "read_committed");
    this.latest = consumer(clientProperties, "read_uncommitted");
  }

  private static KafkaConsumer<byte[], byte[]> consumer(Properties base, String isolation) {
    Properties p = new Properties();
    p.putAll(base);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Every job's latest state in {@code partition}. */
  public PartitionStates restore(int partition) {
    TopicPartition tp = new TopicPartition(topic, partition);
    Instant started = Instant.now();
    // The end including open transactions: reading committed data up to it waits them out.
    long end = latest.endOffsets(List.of(tp), timeout).get(tp);
    committed.assign(List.of(tp));
    committed.seekToBeginning(List.of(tp));
    PartitionStates states = new PartitionStates();
    Instant deadline = started.plus(timeout);
    while (committed.position(tp, timeout) < end) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "restoring "
                + tp
                + " took longer than "
                + timeout
                + " (an open transaction of a crashed worker?)");
      }
      for (ConsumerRecord<byte[], byte[]> r : committed.poll(Duration.ofMillis(100))) {
        JobState state = StateCodec.decode(r.value());
        if (state != null) {
          states.put(state);
        }
      }
    }
    committed.unsubscribe();
    log.info(
        "restored {} job state(s) of {} in {} ms",
        states.size(),
        tp,
        Duration.between(started, Instant.now()).toMillis());
    return states;
  }

  /**
   * Whether the record at {@code offset} of {@code partition} (any topic) is visible to {@code
   * read_committed} readers: read back after a commit whose answer was lost, once a new producer
   * resolved that transaction. A record of an aborted transaction is skipped by the read, so the
   * position passes it without returning it. Waits while the transaction is still open.
   */
  public synchronized boolean isCommitted(TopicPartition partition, long offset) {
    if (checker == null) {
      checker = consumer(clientProperties, "read_committed");
    }
    checker.assign(List.of(partition));
    checker.seek(partition, offset);
    Instant deadline = Instant.now().plus(timeout);
    try {
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : checker.poll(Duration.ofMillis(100))) {
          if (r.offset() >= offset) {
            return r.offset() == offset;
          }
        }
        if (checker.position(partition, timeout) > offset) {
          return false;
        }
      }
      throw new IllegalStateException(
          "could not tell within "
              + timeout
              + " whether the transaction holding "
              + partition
              + "@"
              + offset
              + " committed");
    } finally {
      checker.unsubscribe();
    }
  }

  /** Partition count of the state topic, to check it is co-partitioned with the jobs topic. */
  public int partitionCount() {
    return latest.partitionsFor(topic, timeout).size();
  }

  @Override
  public void close() {
    committed.close(Duration.ofSeconds(5));
    latest.close(Duration.ofSeconds(5));
    synchronized (this) {
      if (checker != null) {
        checker.close(Duration.ofSeconds(5));
      }
    }
  }
}
