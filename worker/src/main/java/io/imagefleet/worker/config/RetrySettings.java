package io.imagefleet.worker.config;

import java.time.Duration;
import java.util.List;

/**
 * Retries of one upstream call on transient trouble (5xx, 429, timeouts, IO errors): exponential
 * backoff with jitter; a {@code Retry-After} header from the upstream wins when it asks for longer.
 *
 * @param maxAttempts calls in total, the first included
 * @param initialBackoff delay before the first retry
 * @param multiplier growth of the delay per retry
 * @param maxBackoff cap on one delay
 * @param maxTotalTime no retry starts after this long since the first call; the job then moves on
 *     to its next route
 */
public record RetrySettings(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    Duration maxTotalTime) {
  static final Key MAX_ATTEMPTS = Key.of("retry.max-attempts", "4");
  static final Key INITIAL_BACKOFF = Key.of("retry.initial-backoff", "500ms");
  static final Key MULTIPLIER = Key.of("retry.multiplier", "2.0");
  static final Key MAX_BACKOFF = Key.of("retry.max-backoff", "10s");
  static final Key MAX_TOTAL_TIME = Key.of("retry.max-total-time", "2m");
  static final List<Key> KEYS =
      List.of(MAX_ATTEMPTS, INITIAL_BACKOFF, MULTIPLIER, MAX_BACKOFF, MAX_TOTAL_TIME);

  public RetrySettings {
    Checks.positive(MAX_ATTEMPTS, maxAttempts);
    Checks.positive(INITIAL_BACKOFF, initialBackoff);
    Checks.atLeast(MULTIPLIER, 1.0, multiplier);
    Checks.positive(MAX_BACKOFF, maxBackoff);
    Checks.positive(MAX_TOTAL_TIME, maxTotalTime);
  }

  public RetrySettings(
      int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    this(
        maxAttempts,
        initialBackoff,
        multiplier,
        maxBackoff,
        ConfigReader.parseDuration(MAX_TOTAL_TIME.name(), MAX_TOTAL_TIME.defaultValue()));
  }

  static RetrySettings from(ConfigReader r) {
    return new RetrySettings(
        r.integer(MAX_ATTEMPTS),
        r.duration(INITIAL_BACKOFF),
        r.decimal(MULTIPLIER),
        r.duration(MAX_BACKOFF),
        r.duration(MAX_TOTAL_TIME));
  }
}
