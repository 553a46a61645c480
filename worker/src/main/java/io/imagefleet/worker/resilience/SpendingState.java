package io.imagefleet.worker.resilience;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * Whether the fleet may spend, as workers share it on the route-health topic: one worker's 401 or
 * 402 stops every worker; one worker's successful probe resumes them all.
 *
 * @param stopped whether spending is stopped
 * @param reason why it stopped (never holds a key)
 * @param worker the worker that wrote it
 * @param at when
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpendingState(boolean stopped, String reason, String worker, Instant at) {
  /** The key of this record on the route-health topic. */
  public static final String KEY = "spending";
}
