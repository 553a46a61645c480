package io.imagefleet.worker.intake;

import io.imagefleet.contracts.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead letter of a record the worker cannot handle: key, value and headers byte for byte,
 * plus {@link DeadLetterHeaders} saying why and where it came from. The intake writes it in the same
 * transaction as the record's offset, so a bad record costs exactly one dead letter even when its
 * partition moves in between. Reasons are built from exception classes and messages, which never
 * carry configuration secrets.
 */
final class DeadLetters {
  private final String topic;
  private final String workerId;
  private final Clock clock;

  DeadLetters(String topic, String workerId, Clock clock) {
    this.topic = topic;
    this.workerId = workerId;
    this.clock = clock;
  }

  ProducerRecord<byte[], byte[]> letter(ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    put(headers, DeadLetterHeaders.REASON, reason);
    put(headers, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
    put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, String.valueOf(record.partition()));
    put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, String.valueOf(record.offset()));
    put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, String.valueOf(record.timestamp()));
    put(headers, DeadLetterHeaders.WORKER, workerId);
    put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
    return new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
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
