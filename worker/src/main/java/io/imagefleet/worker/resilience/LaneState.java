package io.imagefleet.worker.resilience;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;

/**
 * What the fleet knows about one lane of upstream calls (the creations on one route, or the
 * queries), as workers share it on the route-health topic. Every worker applies every record in the
 * topic's order, its own included, and takes from each what is newer than what it knows, so all
 * converge.
 *
 * @param lane {@code create:<model>} or {@code query}
 * @param ratePerSecond the fleet's rate for the lane, all workers together; 0 when not limited
 * @param slowStart whether the rate still doubles each second (no 429 seen yet)
 * @param coolUntil no call before this instant (the upstream's {@code Retry-After}), or null
 * @param downUntil the route is down (a worker's breaker opened) until then, or null
 * @param cutAt when a 429 last cut the rate, or null: cuts closer together than the time their
 *     effect takes to show are one cut
 * @param rateSetAt when the rate was last set: a record carrying an older rate (a cooldown sent by
 *     a worker that had not yet heard of a newer cut or raise) leaves the rate alone
 * @param downSetAt when {@code downUntil} was last set or cleared, for the same reason
 * @param worker the worker that wrote it
 * @param reason why the lane changed, for people
 * @param at when it was written
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LaneState(
    String lane,
    double ratePerSecond,
    boolean slowStart,
    Instant coolUntil,
    Instant downUntil,
    Instant cutAt,
    Instant rateSetAt,
    Instant downSetAt,
    String worker,
    String reason,
    Instant at) {

  public LaneState {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(at, "at");
  }
}
