package io.imagefleet.worker.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this worker's {@link WorkerStatus} to the compacted workers topic (key = worker id)
 * every {@code ops.heartbeat-interval}, and a tombstone when it stops, so {@code imagefleet status}
 * lists the fleet from Kafka alone. Sends only once the topic is known to exist: a producer asked
 * to send to a missing topic blocks for {@code max.block.ms} and floods the log, so a missing topic
 * is reported once and looked for again on each beat.
 *
 * <p>Threads: {@link #beat()} and {@link #farewell()} run on one ops thread at a time.
 */
final class Heartbeat {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final Producer<byte[], byte[]> producer;
  private final Admin admin;
  private final String topic;
  private final byte[] key;
  private final Supplier<WorkerStatus> status;
  private final Duration timeout;
  private volatile boolean topicExists;
  private boolean reportedMissing;

  Heartbeat(
      Producer<byte[], byte[]> producer,
      Admin admin,
      String topic,
      String workerId,
      Supplier<WorkerStatus> status,
      Duration timeout) {
    this.producer = producer;
    this.admin = admin;
    this.topic = topic;
    this.key = workerId.getBytes(StandardCharsets.UTF_8);
    this.status = status;
    this.timeout = timeout;
  }

  /** One heartbeat; never throws. */
  void beat() {
    try {
      if (topicExists()) {
        producer.send(
            new ProducerRecord<>(topic, key, status.get().toJson()),
            (metadata, error) -> {
              if (error != null) {
                log.debug("heartbeat not acknowledged: {}", error.toString());
              }
            });
      }
    } catch (RuntimeException e) {
      log.debug("heartbeat not sent: {}", e.toString());
    }
  }

  /** Removes this worker from the topic (a tombstone), waiting a little for the acknowledgement. */
  void farewell() {
    if (!topicExists) {
      return;
    }
    try {
      producer
          .send(new ProducerRecord<>(topic, key, null))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("heartbeat tombstone not acknowledged: {}", e.toString());
    }
  }

  private boolean topicExists() {
    if (topicExists) {
      return true;
    }
    try {
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      topicExists = true;
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException && !reportedMissing) {
        reportedMissing = true;
        log.warn(
            "heartbeat topic {} does not exist: `imagefleet status` will not list this worker until it is "
                + "created (bin/imagefleet topics creates it)",
            topic);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // broker unreachable: readiness reports it; try again on the next beat
    }
    return false;
  }
}
