package io.imagefleet.bench;

import io.imagefleet.sandbox.upstream.SimulatorStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a contender did against the simulator's rate limits in one measured batch (docs/benchmark.md
 * defines each figure). The targets are the issue's; they are reported, never asserted.
 *
 * @param limits the limits the simulator applied
 * @param tasksCreated tasks the upstream accepted for the batch's jobs
 * @param creationWindowSeconds first to last of those creations
 * @param apiCalls create and query calls the simulator received
 * @param responses429 of those, answered 429 (rate limit and any fault)
 * @param createsRateLimited creates refused by the creation bucket
 * @param queriesRateLimited queries refused by the query bucket
 * @param maxPollGapSeconds the longest a paid task went unpolled past its estimate
 * @param breakerOpenings circuit-breaker transitions to OPEN, summed over the workers
 */
record RateLimitFigures(
    UpstreamLimits limits,
    int tasksCreated,
    double creationWindowSeconds,
    long apiCalls,
    long responses429,
    long createsRateLimited,
    long queriesRateLimited,
    double maxPollGapSeconds,
    int breakerOpenings) {

  static final double GOODPUT_TARGET = 0.95;
  static final double SHARE_429_TARGET = 0.03;

  /**
   * @param creations when the upstream created each task of the batch's jobs
   * @param before the simulator's stats as the batch was published (after a reset)
   * @param after its stats once the batch ended
   */
  static RateLimitFigures of(
      UpstreamLimits limits,
      List<Instant> creations,
      SimulatorStats before,
      SimulatorStats after,
      int breakerOpenings) {
    Instant first = creations.stream().min(Instant::compareTo).orElse(Instant.EPOCH);
    Instant last = creations.stream().max(Instant::compareTo).orElse(Instant.EPOCH);
    return new RateLimitFigures(
        limits,
        creations.size(),
        Duration.between(first, last).toMillis() / 1000.0,
        after.apiCalls() - before.apiCalls(),
        after.responses(429) - before.responses(429),
        after.createsRateLimited() - before.createsRateLimited(),
        after.queriesRateLimited() - before.queriesRateLimited(),
        after.maxPollGapMillis() / 1000.0,
        breakerOpenings);
  }

  /** Tasks created per second over the creation window; null with fewer than two creations. */
  Double achievedCreatesPerSecond() {
    return tasksCreated < 2 || creationWindowSeconds <= 0
        ? null
        : tasksCreated / creationWindowSeconds;
  }

  /** Achieved over permitted creations per second; null without a creation limit. */
  Double goodputRatio() {
    Double achieved = achievedCreatesPerSecond();
    return achieved == null || limits.createsPerSecond() == 0
        ? null
        : achieved / limits.createsPerSecond();
  }

  /** 429 answers over all API calls (creations and queries). */
  double share429() {
    return apiCalls == 0 ? 0 : (double) responses429 / apiCalls;
  }
}
