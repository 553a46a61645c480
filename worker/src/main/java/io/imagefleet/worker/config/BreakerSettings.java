package io.imagefleet.worker.config;

import java.time.Duration;

/**
 * The circuit breaker of each route. Only transient failures count; a request's own fault
 * (400, content policy) never opens a breaker.
 *
 * @param failureRateThreshold  percent of failed calls in the window that opens the breaker
 * @param slowCallRateThreshold percent of slow calls in the window that opens the breaker
 * @param slowCallThreshold     a call slower than this counts as slow
 * @param windowSize            calls in the sliding window
 * @param minimumCalls          calls needed before the rates are judged
 * @param openDuration          how long the breaker stays open before half-open probes
 * @param halfOpenCalls         probe calls permitted while half-open
 */
public record BreakerSettings(
    float failureRateThreshold,
    float slowCallRateThreshold,
    Duration slowCallThreshold,
    int windowSize,
    int minimumCalls,
    Duration openDuration,
    int halfOpenCalls) {

  public BreakerSettings {
    Checks.between("breaker.failure-rate-threshold", 1, 100, failureRateThreshold);
    Checks.between("breaker.slow-call-rate-threshold", 1, 100, slowCallRateThreshold);
    Checks.positive("breaker.slow-call-threshold", slowCallThreshold);
    Checks.positive("breaker.window-size", windowSize);
    Checks.positive("breaker.minimum-calls", minimumCalls);
    Checks.positive("breaker.open-duration", openDuration);
    Checks.positive("breaker.half-open-calls", halfOpenCalls);
  }
}
