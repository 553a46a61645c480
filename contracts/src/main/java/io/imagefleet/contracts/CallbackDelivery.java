package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;

/**
 * How the delivery of a job's terminal event to its {@code callback_url} ended, version 1: what
 * workers publish to the callbacks topic (default {@value Topics#CALLBACKS}) with the job id as
 * key.
 *
 * <p>A topic of its own rather than a status on the events topic: the events topic's status enum is
 * closed within v1, and a callback's fate never changes how the job ended.
 *
 * @param schemaVersion message schema version, {@value #SCHEMA_VERSION} for this record
 * @param eventId the delivered terminal event's {@code event_id}
 * @param jobId the job's id, also the Kafka key
 * @param tenant the job's tenant (whose secret signed the request)
 * @param attempt the job attempt whose terminal event was delivered
 * @param url the callback URL without user info, query string or fragment (they may carry secrets)
 * @param status how the delivery ended
 * @param httpStatus the receiver's last HTTP status, absent when none was received
 * @param attempts HTTP requests tried (0 when the delivery was refused before sending)
 * @param error why it did not succeed, absent on DELIVERED
 * @param occurredAt when the delivery ended
 * @param workerId the worker instance that delivered
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallbackDelivery(
    int schemaVersion,
    String eventId,
    String jobId,
    String tenant,
    int attempt,
    String url,
    Status status,
    Integer httpStatus,
    int attempts,
    String error,
    Instant occurredAt,
    String workerId) {

  public static final int SCHEMA_VERSION = 1;

  /** How a delivery ended. */
  public enum Status {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Every allowed attempt failed (connection, timeout, non-2xx answer, redirect). */
    FAILED,
    /**
     * Nothing was sent: the destination resolved to a private address, or no signing secret is
     * configured.
     */
    REFUSED
  }

  public CallbackDelivery {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(occurredAt, "occurredAt");
    schemaVersion = schemaVersion == 0 ? SCHEMA_VERSION : schemaVersion;
  }
}
