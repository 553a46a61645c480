package io.imagefleet.worker.intake;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.events.RecordBudget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead letter of a record the worker cannot handle: key, value and headers byte for
 * byte, plus {@link DeadLetterHeaders} saying why and where it came from. A letter always fits in a
 * record ({@link RecordBudget}): a record too large to be kept whole is kept as an excerpt with the
 * length and hash of its value and its original offset (see {@link DeadLetterHeaders}). The intake
 * writes a letter in the same transaction that commits the record's offset, so a bad record costs
 * exactly one dead letter even when its partition moves in between. Reasons are built from
 * exception classes and messages, which never carry configuration secrets. Stateless.
 */
final class DeadLetters {
  /** Bytes of an oversized value, and of an oversized key, that its letter keeps. */
  static final int EXCERPT_BYTES = 4096;

  /** Longest reason kept: a reason repeats exception messages, which may quote the input. */
  static final int MAX_REASON_CHARS = 1000;

  private final String topic;
  private final String workerId;
  private final Clock clock;
  private final RecordBudget budget;

  DeadLetters(String topic, String workerId, Clock clock, RecordBudget budget) {
    this.topic = topic;
    this.workerId = workerId;
    this.clock = clock;
    this.budget = budget;
  }

  /** The letter of {@code record}: whole when it fits, else an excerpt (see the class comment). */
  ProducerRecord<byte[], byte[]> letter(
      ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
    Headers ours = new RecordHeaders();
    put(ours, DeadLetterHeaders.REASON, cut(reason));
    put(ours, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
    put(ours, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
    put(ours, DeadLetterHeaders.ORIGINAL_PARTITION, String.valueOf(record.partition()));
    put(ours, DeadLetterHeaders.ORIGINAL_OFFSET, String.valueOf(record.offset()));
    put(ours, DeadLetterHeaders.ORIGINAL_TIMESTAMP, String.valueOf(record.timestamp()));
    put(ours, DeadLetterHeaders.WORKER, workerId);
    put(ours, DeadLetterHeaders.FAILED_AT, clock.instant().toString());

    ProducerRecord<byte[], byte[]> whole =
        build(record.key(), record.value(), withOriginal(record, ours));
    if (budget.fits(whole)) {
      return whole;
    }
    byte[] value = record.value();
    put(ours, DeadLetterHeaders.ORIGINAL_BYTES, String.valueOf(value == null ? 0 : value.length));
    put(ours, DeadLetterHeaders.ORIGINAL_SHA256, value == null ? "" : sha256(value));
    byte[] key = record.key();
    ProducerRecord<byte[], byte[]> excerpt =
        truncated(key, excerpt(value), withOriginal(record, ours), "value");
    if (budget.fits(excerpt)) {
      return excerpt;
    }
    excerpt = truncated(excerpt(key), excerpt(value), withOriginal(record, ours), "value,key");
    if (budget.fits(excerpt)) {
      return excerpt;
    }
    return truncated(excerpt(key), excerpt(value), ours, "value,key,headers");
  }

  /**
   * The letter that stands for a job's ending when even its trimmed terminal event cannot be
   * written: the event's identity and outcome in headers and an excerpt of the event as value.
   */
  ProducerRecord<byte[], byte[]> endingStub(
      String sourceTopic, int partition, long offset, StatusEvent terminal, String reason) {
    Headers headers = new RecordHeaders();
    put(headers, DeadLetterHeaders.REASON, cut(reason));
    put(headers, DeadLetterHeaders.ERROR_CLASS, "output_too_large");
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, sourceTopic);
    put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, String.valueOf(partition));
    put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, String.valueOf(offset));
    put(headers, DeadLetterHeaders.WORKER, workerId);
    put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
    put(headers, DeadLetterHeaders.TRUNCATED, "value");
    byte[] event = encodeOrEmpty(terminal);
    put(headers, DeadLetterHeaders.ORIGINAL_BYTES, String.valueOf(event.length));
    put(headers, DeadLetterHeaders.ORIGINAL_SHA256, sha256(event));
    return build(
        excerpt(terminal.jobId().getBytes(StandardCharsets.UTF_8)), excerpt(event), headers);
  }

  /**
   * The reason's leading word ({@code undecodable}, {@code worker_error}): few values, fit for a
   * metric tag.
   */
  static String reasonCode(String reason) {
    String code = reason.split("[:\\s]", 2)[0];
    return code.isBlank() ? "unknown" : code;
  }

  private ProducerRecord<byte[], byte[]> truncated(
      byte[] key, byte[] value, Headers headers, String what) {
    Headers marked = new RecordHeaders(headers.toArray());
    put(marked, DeadLetterHeaders.TRUNCATED, what);
    return build(key, value, marked);
  }

  private ProducerRecord<byte[], byte[]> build(byte[] key, byte[] value, Headers headers) {
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  /** The record's own headers, then ours (replacing any of the same name the record claimed). */
  private static Headers withOriginal(ConsumerRecord<byte[], byte[]> record, Headers ours) {
    Headers all = new RecordHeaders(record.headers().toArray());
    for (var h : ours) {
      all.remove(h.key());
    }
    ours.forEach(all::add);
    return all;
  }

  private static byte[] excerpt(byte[] bytes) {
    return bytes == null || bytes.length <= EXCERPT_BYTES
        ? bytes
        : Arrays.copyOf(bytes, EXCERPT_BYTES);
  }

  private static byte[] encodeOrEmpty(StatusEvent event) {
    try {
      return JobCodec.encodeEvent(event);
    } catch (RuntimeException e) {
      return new byte[0];
    }
  }

  private static String cut(String reason) {
    return reason.length() <= MAX_REASON_CHARS
        ? reason
        : reason.substring(0, MAX_REASON_CHARS) + "...";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
