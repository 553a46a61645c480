package io.imagefleet.worker.events;

import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TraceHeaders;
import io.imagefleet.worker.config.TenantSettings;
import io.imagefleet.worker.tenant.TenantDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes status events on the shared producer, keyed by job id so every event of a job lands on
 * one partition in order. The returned future completes when Kafka has acknowledged the event
 * ({@code acks=all}); the terminal event's acknowledgement is what lets the job's offset be
 * committed.
 */
public final class EventPublisher {
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final RecordBudget budget;
  private final EventObserver observer;
  private final TenantDirectory tenants;

  public EventPublisher(Producer<byte[], byte[]> producer, String topic, RecordBudget budget) {
    this(producer, topic, budget, EventObserver.NONE);
  }

  public EventPublisher(
      Producer<byte[], byte[]> producer,
      String topic,
      RecordBudget budget,
      EventObserver observer) {
    this(producer, topic, budget, observer, new TenantDirectory(TenantSettings.defaults()));
  }

  /**
   * Tells {@code observer} about every event once Kafka acknowledged it (metrics), and copies the
   * events of tenants with topics of their own there when {@code tenants} says so.
   */
  public EventPublisher(
      Producer<byte[], byte[]> producer,
      String topic,
      RecordBudget budget,
      EventObserver observer,
      TenantDirectory tenants) {
    this.producer = producer;
    this.topic = topic;
    this.budget = budget;
    this.observer = observer;
    this.tenants = tenants;
  }

  /** Who hears about this worker's events, fallbacks and dead letters. */
  public EventObserver observer() {
    return observer;
  }

  /**
   * Publishes {@code event}, {@linkplain StatusEvents#trimmed trimmed} when it would not fit in a
   * record whole.
   *
   * @param traceparent the job's trace context, put on the record as the ending's is, so a reader
   *     of any event can continue the job's trace; null when there is none
   */
  public CompletableFuture<Void> publish(StatusEvent event, String traceparent) {
    ProducerRecord<byte[], byte[]> record = record(topic, event, traceparent);
    if (!budget.fits(record)) {
      record = record(topic, StatusEvents.trimmed(event), traceparent);
    }
    Optional<String> copyTopic = tenants.eventsCopyOf(event.tenant());
    if (copyTopic.isEmpty()) {
      return send(record, event);
    }
    // Acknowledged once both are: the tenant's copy is as durable as the shared event.
    ProducerRecord<byte[], byte[]> copy =
        new ProducerRecord<>(copyTopic.get(), null, record.key(), record.value(), record.headers());
    CompletableFuture<Void> copied = new CompletableFuture<>();
    producer.send(
        copy,
        (metadata, error) -> {
          if (error != null) {
            copied.completeExceptionally(error);
          } else {
            copied.complete(null);
          }
        });
    return send(record, event).thenCombine(copied, (a, b) -> null);
  }

  private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record, StatusEvent event) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    producer.send(
        record,
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

  private static ProducerRecord<byte[], byte[]> record(
      String topic, StatusEvent event, String traceparent) {
    ProducerRecord<byte[], byte[]> record;
    try {
      record =
          new ProducerRecord<>(
              topic,
              event.jobId().getBytes(StandardCharsets.UTF_8),
              Json.mapper().writeValueAsBytes(event));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise event " + event.eventId(), e);
    }
    if (traceparent != null) {
      record.headers().add(TraceHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }
}
