package io.imagefleet.worker.callback;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A callback the fleet owes, and how far its delivery got: one record per step on the owed
 * callbacks topic ({@code topics.callbacks-owed}, compacted, key = {@code webhook-id}). The first
 * is written in the transaction that ends the job, so a callback is owed exactly when the job's
 * terminal event is visible; every attempt's outcome is written after it by whichever worker owns
 * the partition, and the latest record of a key is the delivery's state. Internal to the fleet.
 *
 * @param webhookId the {@code webhook-id} header: the terminal event's {@code event_id}, the same
 *     on every attempt and redelivery (the receiver's deduplication key)
 * @param jobId the job's id
 * @param tenant whose secrets sign the request
 * @param attempt the job attempt whose terminal event this is
 * @param url the job's {@code callback_url}, whole (this topic is as private as the jobs topic)
 * @param body the terminal event exactly as published on the events topic
 * @param state where the delivery stands
 * @param attempts HTTP attempts made so far
 * @param nextAttemptAt when the next attempt is due ({@code OWED} only)
 * @param httpStatus the receiver's last answer, if any
 * @param error why the last attempt did not succeed
 * @param generation 0 for the first delivery; an operator's redelivery adds one
 * @param follows the offset of the record this one follows (-1 for a new delivery or a redelivery):
 *     the partition's owner takes a step only if it follows the state it knows, so a worker that
 *     lost the partition mid-attempt cannot reopen a finished delivery
 * @param note who asked for a redelivery, and why
 * @param updatedAt when this record was written
 * @param workerId who wrote it
 * @param traceparent the W3C {@code traceparent} of the commit that made the job's ending durable,
 *     absent when the job is not traced: each attempt's {@code callback.send} span hangs under it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OwedCallback(
    String webhookId,
    String jobId,
    String tenant,
    int attempt,
    String url,
    String body,
    State state,
    int attempts,
    Instant nextAttemptAt,
    Integer httpStatus,
    String error,
    int generation,
    long follows,
    String note,
    Instant updatedAt,
    String workerId,
    String traceparent) {

  /** Where a delivery stands. */
  public enum State {
    /** Not delivered yet; an attempt is due at {@code next_attempt_at}. */
    OWED,
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Every attempt of the schedule failed, or the receiver's answer ended the delivery. */
    FAILED,
    /** Nothing can be sent: a private destination, no secret, not a URL. */
    REFUSED;

    public boolean isFinal() {
      return this != OWED;
    }
  }

  public OwedCallback {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(state, "state");
  }

  /** A new delivery of {@code body}, due at once. */
  public static OwedCallback owed(
      String webhookId,
      String jobId,
      String tenant,
      int attempt,
      String url,
      byte[] body,
      Instant now,
      String workerId) {
    return new OwedCallback(
        webhookId,
        jobId,
        tenant,
        attempt,
        url,
        new String(body, StandardCharsets.UTF_8),
        State.OWED,
        0,
        now,
        null,
        null,
        0,
        -1,
        null,
        now,
        workerId,
        null);
  }

  /** This delivery, traced under {@code traceparent} (null: not traced). */
  public OwedCallback withTraceparent(String traceparent) {
    return new OwedCallback(
        webhookId,
        jobId,
        tenant,
        attempt,
        url,
        body,
        state,
        attempts,
        nextAttemptAt,
        httpStatus,
        error,
        generation,
        follows,
        note,
        updatedAt,
        workerId,
        traceparent);
  }

  /** The step after an attempt made on the state at {@code offset}. */
  public OwedCallback next(
      int attempts,
      State state,
      Instant nextAttemptAt,
      Integer httpStatus,
      String error,
      long offset,
      Instant now,
      String worker) {
    return new OwedCallback(
        webhookId,
        jobId,
        tenant,
        attempt,
        url,
        body,
        state,
        attempts,
        nextAttemptAt,
        httpStatus,
        error,
        generation,
        offset,
        note,
        now,
        worker,
        traceparent);
  }

  /** An operator's redelivery: a new generation from zero attempts, due at once. */
  public OwedCallback redelivery(String why, Instant now, String who) {
    return new OwedCallback(
        webhookId,
        jobId,
        tenant,
        attempt,
        url,
        body,
        State.OWED,
        0,
        now,
        null,
        null,
        generation + 1,
        -1,
        why,
        now,
        who,
        traceparent);
  }

  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  public ProducerRecord<byte[], byte[]> toRecord(String topic) {
    try {
      return new ProducerRecord<>(
          topic, webhookId.getBytes(StandardCharsets.UTF_8), Json.mapper().writeValueAsBytes(this));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an owed callback", e);
    }
  }

  /** Decodes a record of the owed callbacks topic. */
  public static OwedCallback decode(byte[] value) throws IOException {
    return Json.mapper().readValue(value, OwedCallback.class);
  }
}
