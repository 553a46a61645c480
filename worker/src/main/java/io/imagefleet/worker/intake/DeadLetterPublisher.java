package io.imagefleet.worker.intake;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.worker.events.EventObserver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends a record the worker cannot handle to the dead-letter topic: key, value and headers byte for
 * byte, plus {@link DeadLetterHeaders} saying why and where it came from. Reasons are built by the
 * worker from exception classes and messages, which never carry configuration secrets.
 */
final class DeadLetterPublisher {
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String workerId;
  private final Clock clock;
  private final EventObserver observer;

  DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, String workerId, Clock clock,
      EventObserver observer) {
    this.producer = producer;
    this.topic = topic;
    this.workerId = workerId;
    this.clock = clock;
    this.observer = observer;
  }

  CompletableFuture<Void> publish(ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    put(headers, DeadLetterHeaders.REASON, reason);
    put(headers, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
    put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, String.valueOf(record.partition()));
    put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, String.valueOf(record.offset()));
    put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, String.valueOf(record.timestamp()));
    put(headers, DeadLetterHeaders.WORKER, workerId);
    put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
    CompletableFuture<Void> acked = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers), (metadata, e) -> {
      if (e != null) {
        acked.completeExceptionally(e);
      } else {
        try {
          observer.deadLettered(reasonCode(reason));
        } finally {
          acked.complete(null);
        }
      }
    });
    return acked;
  }

  /** The reason's leading word ({@code undecodable}, {@code worker_error}): few values, fit for a metric tag. */
  static String reasonCode(String reason) {
    String code = reason.split("[:\\s]", 2)[0];
    return code.isBlank() ? "unknown" : code;
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
