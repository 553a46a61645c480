package io.imagefleet.worker.events;

import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes status events on the shared producer, keyed by job id so every event of a job lands on
 * one partition in order. The returned future completes when Kafka has acknowledged the event
 * ({@code acks=all}); the terminal event's acknowledgement is what lets the job's offset be committed.
 */
public final class EventPublisher {
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final EventObserver observer;

  public EventPublisher(Producer<byte[], byte[]> producer, String topic) {
    this(producer, topic, EventObserver.NONE);
  }

  /** Tells {@code observer} about every event once Kafka acknowledged it (metrics). */
  public EventPublisher(Producer<byte[], byte[]> producer, String topic, EventObserver observer) {
    this.producer = producer;
    this.topic = topic;
    this.observer = observer;
  }

  /** Who hears about this worker's events, fallbacks and dead letters. */
  public EventObserver observer() {
    return observer;
  }

  public CompletableFuture<Void> publish(StatusEvent event) {
    byte[] value;
    try {
      value = Json.mapper().writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise event " + event.eventId(), e);
    }
    CompletableFuture<Void> acked = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, event.jobId().getBytes(StandardCharsets.UTF_8), value),
        (metadata, error) -> {
          if (error != null) {
            acked.completeExceptionally(error);
          } else {
            try {
              observer.published(event);
            } finally {
              acked.complete(null); // an observer's bug never holds up a job
            }
          }
        });
    return acked;
  }
}
