package io.imagefleet.worker.config;

import java.time.Duration;
import java.util.List;

/**
 * The circuit breaker of each route. Only transient failures count; a request's own fault (400,
 * content policy) never opens a breaker.
 *
 * @param failureRateThreshold percent of failed calls in the window that opens the breaker
 * @param slowCallRateThreshold percent of slow calls in the window that opens the breaker
 * @param slowCallThreshold a call slower than this counts as slow
 * @param windowSize calls in the sliding window
 * @param minimumCalls calls needed before the rates are judged
 * @param openDuration how long the breaker stays open before half-open probes
 * @param halfOpenCalls probe calls permitted while half-open
 */
public record BreakerSettings(
    float failureRateThreshold,
    float slowCallRateThreshold,
    Duration slowCallThreshold,
    int windowSize,
    int minimumCalls,
    Duration openDuration,
    int halfOpenCalls) {

  static final Key FAILURE_RATE_THRESHOLD = Key.of("breaker.failure-rate-threshold", "50");
  static final Key SLOW_CALL_RATE_THRESHOLD = Key.of("breaker.slow-call-rate-threshold", "100");
  static final Key SLOW_CALL_THRESHOLD = Key.of("breaker.slow-call-threshold", "30s");
  static final Key WINDOW_SIZE = Key.of("breaker.window-size", "50");
  static final Key MINIMUM_CALLS = Key.of("breaker.minimum-calls", "20");
  static final Key OPEN_DURATION = Key.of("breaker.open-duration", "30s");
  static final Key HALF_OPEN_CALLS = Key.of("breaker.half-open-calls", "5");
  static final List<Key> KEYS =
      List.of(
          FAILURE_RATE_THRESHOLD,
          SLOW_CALL_RATE_THRESHOLD,
          SLOW_CALL_THRESHOLD,
          WINDOW_SIZE,
          MINIMUM_CALLS,
          OPEN_DURATION,
          HALF_OPEN_CALLS);

  public BreakerSettings {
    Checks.between(FAILURE_RATE_THRESHOLD, 1, 100, failureRateThreshold);
    Checks.between(SLOW_CALL_RATE_THRESHOLD, 1, 100, slowCallRateThreshold);
    Checks.positive(SLOW_CALL_THRESHOLD, slowCallThreshold);
    Checks.positive(WINDOW_SIZE, windowSize);
    Checks.positive(MINIMUM_CALLS, minimumCalls);
    Checks.positive(OPEN_DURATION, openDuration);
    Checks.positive(HALF_OPEN_CALLS, halfOpenCalls);
  }

  static BreakerSettings from(ConfigReader r) {
    return new BreakerSettings(
        (float) r.decimal(FAILURE_RATE_THRESHOLD),
        (float) r.decimal(SLOW_CALL_RATE_THRESHOLD),
        r.duration(SLOW_CALL_THRESHOLD),
        r.integer(WINDOW_SIZE),
        r.integer(MINIMUM_CALLS),
        r.duration(OPEN_DURATION),
        r.integer(HALF_OPEN_CALLS));
  }
}
