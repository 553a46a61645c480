package io.imagefleet.worker.resilience;

import io.imagefleet.worker.config.RetrySettings;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Delay before retry number {@code n}: exponential with full jitter (a uniform pick between zero and
 * the exponential bound, so retries of many jobs spread out instead of arriving together), and never
 * less than the upstream's {@code Retry-After} when it sent one.
 */
final class Backoff {
  private final RetrySettings settings;
  private final LongUnaryOperator random;

  /** @param random maps a bound to a uniform pick in {@code [0, bound]}; injected for tests */
  Backoff(RetrySettings settings, LongUnaryOperator random) {
    this.settings = settings;
    this.random = random;
  }

  long delayMillis(int attemptsSoFar, UpstreamOutcome<?> lastOutcome) {
    double exponential = settings.initialBackoff().toMillis() * Math.pow(settings.multiplier(), Math.max(0, attemptsSoFar - 1));
    long bound = (long) Math.min(settings.maxBackoff().toMillis(), exponential);
    long jittered = random.applyAsLong(bound);
    long retryAfter = lastOutcome instanceof Failure<?> f ? f.retryAfter().map(Duration::toMillis).orElse(0L) : 0L;
    return Math.max(jittered, retryAfter);
  }
}
