package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A status event, version 1: what workers publish to the events topic with the job id as key.
 *
 * @param schemaVersion message schema version, {@value #SCHEMA_VERSION} for this record
 * @param eventId unique per event (a UUID); consumers may use it to drop redeliveries
 * @param jobId the job's id, also the Kafka key
 * @param tenant the job's tenant
 * @param status where the attempt stands
 * @param attempt the job attempt this event belongs to
 * @param route the upstream route actually used (absent before routing)
 * @param routeReason why the route differs from the job's own route (after a fallback), else absent
 * @param upstreamTaskId the upstream's task id, from SUBMITTED on
 * @param progress 0 to 100 on RUNNING, 100 on SUCCEEDED
 * @param images on SUCCEEDED: every stored image
 * @param usage on SUCCEEDED: token usage reported by the upstream
 * @param costUsd on SUCCEEDED: cost computed from {@code usage} and the route's prices
 * @param estimatedCostUsd the cost estimated from the price table before submitting, from ACCEPTED
 *     on
 * @param upstreamCalls on terminal events: upstream calls this attempt made (creates, polls,
 *     downloads, retries)
 * @param unconfirmedSubmissions on terminal events, when not zero: task creations of this attempt
 *     whose answer never reached the fleet (the call timed out or its connection broke, or the
 *     worker making it crashed). The upstream may have accepted, and billed, each of them.
 * @param error on FAILED: why
 * @param metadata the job's metadata, echoed
 * @param occurredAt when the worker observed the change
 * @param workerId the worker instance that published the event
 * @param cancellation on terminal events of attempts a cancel request reached: which request, and
 *     whether it stopped the attempt before submission or came after its task was paid
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusEvent(
    int schemaVersion,
    String eventId,
    String jobId,
    String tenant,
    JobStatus status,
    int attempt,
    String route,
    String routeReason,
    String upstreamTaskId,
    Integer progress,
    List<StoredImage> images,
    TokenUsage usage,
    BigDecimal costUsd,
    BigDecimal estimatedCostUsd,
    Integer upstreamCalls,
    Integer unconfirmedSubmissions,
    JobError error,
    Map<String, String> metadata,
    Instant occurredAt,
    String workerId,
    Cancellation cancellation) {

  public static final int SCHEMA_VERSION = 1;

  public StatusEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(occurredAt, "occurredAt");
    schemaVersion = schemaVersion == 0 ? SCHEMA_VERSION : schemaVersion;
    images = images == null ? List.of() : List.copyOf(images);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** An event that no cancel request reached. */
  public StatusEvent(
      int schemaVersion,
      String eventId,
      String jobId,
      String tenant,
      JobStatus status,
      int attempt,
      String route,
      String routeReason,
      String upstreamTaskId,
      Integer progress,
      List<StoredImage> images,
      TokenUsage usage,
      BigDecimal costUsd,
      BigDecimal estimatedCostUsd,
      Integer upstreamCalls,
      Integer unconfirmedSubmissions,
      JobError error,
      Map<String, String> metadata,
      Instant occurredAt,
      String workerId) {
    this(
        schemaVersion,
        eventId,
        jobId,
        tenant,
        status,
        attempt,
        route,
        routeReason,
        upstreamTaskId,
        progress,
        images,
        usage,
        costUsd,
        estimatedCostUsd,
        upstreamCalls,
        unconfirmedSubmissions,
        error,
        metadata,
        occurredAt,
        workerId,
        null);
  }

  /**
   * A copy that reports {@code calls} upstream calls, and {@code unconfirmed} creations whose
   * answer never arrived (left out when zero).
   */
  public StatusEvent withUpstreamCalls(int calls, int unconfirmed) {
    return new StatusEvent(
        schemaVersion,
        eventId,
        jobId,
        tenant,
        status,
        attempt,
        route,
        routeReason,
        upstreamTaskId,
        progress,
        images,
        usage,
        costUsd,
        estimatedCostUsd,
        calls,
        unconfirmed == 0 ? null : unconfirmed,
        error,
        metadata,
        occurredAt,
        workerId,
        cancellation);
  }

  /** A copy that names the cancel request that reached the attempt. */
  public StatusEvent withCancellation(Cancellation note) {
    return new StatusEvent(
        schemaVersion,
        eventId,
        jobId,
        tenant,
        status,
        attempt,
        route,
        routeReason,
        upstreamTaskId,
        progress,
        images,
        usage,
        costUsd,
        estimatedCostUsd,
        upstreamCalls,
        unconfirmedSubmissions,
        error,
        metadata,
        occurredAt,
        workerId,
        note);
  }

  /** Whether this is the FAILED event of an attempt cancelled before it was submitted. */
  @JsonIgnore
  public boolean isCancelledBeforeSubmission() {
    return status == JobStatus.FAILED && error != null && ErrorCodes.CANCELLED.equals(error.code());
  }

  @JsonIgnore
  public boolean isTerminal() {
    return status.isTerminal();
  }
}
