package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * On a terminal event: the cancel request that reached the job attempt, and what it did.
 *
 * @param requestId the cancel request's {@code request_id}
 * @param reason the cancel request's reason, if it gave one
 * @param requestedAt when the cancel was requested
 * @param outcome what the cancel did to this attempt
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cancellation(String requestId, String reason, Instant requestedAt, Outcome outcome) {

  /** What a cancel did to the job attempt it reached. */
  public enum Outcome {
    /**
     * Cancelled before any task was created: nothing was paid; the event is FAILED with code {@code
     * cancelled} and carries the attempt's {@code estimated_cost_usd}, the cost saved.
     */
    @JsonProperty("not_submitted")
    NOT_SUBMITTED,
    /**
     * The cancel came after the upstream had accepted (and billed) the task, or while its creation
     * was under way: the attempt went on to its end and stored what was paid for.
     */
    @JsonProperty("paid_task_finished")
    PAID_TASK_FINISHED
  }

  /** This note with {@code outcome}. */
  public Cancellation withOutcome(Outcome outcome) {
    return new Cancellation(requestId, reason, requestedAt, outcome);
  }

  /** The note for {@code request}, its outcome not yet known. */
  public static Cancellation of(CancelRequest request) {
    return new Cancellation(request.requestId(), request.reason(), request.requestedAt(), null);
  }
}
