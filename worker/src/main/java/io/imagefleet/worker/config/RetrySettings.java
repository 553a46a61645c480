package io.imagefleet.worker.config;

import java.time.Duration;

/**
 * Retries of one upstream call on transient trouble (5xx, 429, timeouts, IO errors): exponential
 * backoff with jitter; a {@code Retry-After} header from the upstream wins when it asks for longer.
 *
 * @param maxAttempts    calls in total, the first included
 * @param initialBackoff delay before the first retry
 * @param multiplier     growth of the delay per retry
 * @param maxBackoff     cap on one delay
 * @param maxTotalTime   no retry starts after this long since the first call; the job then moves on
 *                       to its next route
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
    Duration maxTotalTime) {
  public RetrySettings {
    Checks.positive("retry.max-attempts", maxAttempts);
    Checks.positive("retry.initial-backoff", initialBackoff);
    Checks.atLeast("retry.multiplier", 1.0, multiplier);
    Checks.positive("retry.max-backoff", maxBackoff);
    Checks.positive("retry.max-total-time", maxTotalTime);
  }

  public RetrySettings(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    this(maxAttempts, initialBackoff, multiplier, maxBackoff, Duration.ofMinutes(2));
  }
}
