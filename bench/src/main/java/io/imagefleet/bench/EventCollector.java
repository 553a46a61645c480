package io.imagefleet.bench;

import io.imagefleet.contracts.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a contender's events topic the way a downstream team does ({@code read_committed}), on its
 * own thread, and keeps per job: when it was accepted (the event's {@code occurred_at}), when its
 * terminal event reached this reader, and its upstream task. "Reached the reader" is the honest end
 * of a job for its consumers: it includes the producer's linger and, for a transactional worker, the
 * wait for the transaction that carries the event to commit.
 *
 * <p>Only four fields of each event are read, with a streaming parser: the reader shares the
 * benchmark JVM's cores with the broker and the simulator and must stay cheap.
 */
final class EventCollector implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, JobTrace> traces = new ConcurrentHashMap<>();
  private final AtomicInteger terminals = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closing;

  /** What the events of one job tell. */
  static final class JobTrace {
    volatile Instant acceptedAt;
    /** The SUBMITTED event's {@code occurred_at}: the task's id is recorded (imagefleet: acknowledged). */
    volatile Instant submittedAt;
    /** The terminal event's own {@code occurred_at}: when the worker decided the job's end. */
    volatile Instant decidedAt;
    volatile Instant endedAt;
    volatile String taskId;
    volatile JobStatus status;
  }

  EventCollector(Properties client, String topic, int partitions) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      parts.add(new TopicPartition(topic, i));
    }
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.thread = new Thread(this::run, "bench-events-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          record(r);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void record(ConsumerRecord<byte[], byte[]> r) {
    Instant seen = Instant.now();
    EventFields event = EventFields.read(r.value());
    if (event.jobId() == null || event.status() == null) {
      return;
    }
    JobTrace trace = traces.computeIfAbsent(event.jobId(), id -> new JobTrace());
    if (event.taskId() != null) {
      trace.taskId = event.taskId();
    }
    if (event.status() == JobStatus.ACCEPTED && trace.acceptedAt == null) {
      trace.acceptedAt = event.occurredAt();
    }
    if (event.status() == JobStatus.SUBMITTED && trace.submittedAt == null) {
      trace.submittedAt = event.occurredAt();
    }
    if (event.status().isTerminal()) {
      if (trace.status != null) {
        duplicates.incrementAndGet();
        return;
      }
      trace.endedAt = seen;
      trace.decidedAt = event.occurredAt();
      trace.status = event.status();
      terminals.incrementAndGet();
    }
  }

  int terminals() {
    return terminals.get();
  }

  int duplicateTerminals() {
    return duplicates.get();
  }

  Map<String, JobTrace> traces() {
    return traces;
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
