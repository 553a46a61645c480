package io.imagefleet.worker.state;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
  private final Executor steps;

  /**
   * @param steps where a write's acknowledgement is completed, and so where the job's next step
   *     runs: never the producer's I/O thread, on which every send and acknowledgement of the
   *     worker waits while a step runs (a step that sends to a topic without metadata would wait
   *     for that very thread until {@code max.block.ms})
   */
  public StateWriter(Producer<byte[], byte[]> producer, String topic, Executor steps) {
    this.producer = producer;
    this.topic = topic;
    this.steps = steps;
  }

  /**
   * Writes {@code state} to the job's own partition of the state topic, under its key; completes on
   * the steps executor when acknowledged.
   */
  public CompletableFuture<Void> write(int partition, JobState state) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(
            topic,
            partition,
            state.key().getBytes(StandardCharsets.UTF_8),
            StateCodec.encode(state)),
        (metadata, error) -> settle(acked, error));
    return acked;
  }

  private void settle(CompletableFuture<Void> acked, Exception error) {
    Runnable complete =
        () -> {
          if (error != null) {
            acked.completeExceptionally(error);
          } else {
            acked.complete(null);
          }
        };
    try {
      steps.execute(complete);
    } catch (RejectedExecutionException shuttingDown) {
      complete.run(); // the worker is closing: no step follows, the waiter only learns the end
    }
  }
}
