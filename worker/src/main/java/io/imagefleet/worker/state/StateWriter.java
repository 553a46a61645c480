package io.imagefleet.worker.state;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records that the upstream accepted a task, the moment it did: on the shared idempotent producer,
 * outside any transaction, so the record is durable after one round trip ({@code acks=all}) instead
 * of waiting for the next transaction. This is the one window in which a crash can still cause a
 * second paid submission: after the upstream accepted and before this write is acknowledged. Thread
 * safe.
 */
public final class StateWriter {
  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public StateWriter(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * Writes {@code state} to the job's own partition of the state topic, under its key; completes
   * when acknowledged.
   */
  public CompletableFuture<Void> write(int partition, JobState state) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(
            topic,
            partition,
            state.key().getBytes(StandardCharsets.UTF_8),
            StateCodec.encode(state)),
        (metadata, error) -> {
          if (error != null) {
            acked.completeExceptionally(error);
          } else {
            acked.complete(null);
          }
        });
    return acked;
  }
}
