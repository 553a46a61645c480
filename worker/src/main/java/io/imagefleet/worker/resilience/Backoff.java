package io.imagefleet.worker.resilience;

import io.imagefleet.worker.config.RetrySettings;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Delay before retry number {@code n}: exponential with full jitter (a uniform pick between zero
 * and the exponential bound, so retries of many jobs spread out instead of arriving together), and
 * never less than the upstream's {@code Retry-After} when it sent one. The fleet's one backoff: the
 * retries of upstream calls use it, and so do the pauses of a job waiting for a route.
 */
public final class Backoff {
  private final Duration initial;
  private final double multiplier;
  private final Duration max;
  private final LongUnaryOperator random;

  /**
   * @param random maps a bound to a uniform pick in {@code [0, bound]}; injected for tests
   */
  Backoff(RetrySettings settings, LongUnaryOperator random) {
    this(settings.initialBackoff(), settings.multiplier(), settings.maxBackoff(), random);
  }

  private Backoff(Duration initial, double multiplier, Duration max, LongUnaryOperator random) {
    this.initial = initial;
    this.multiplier = multiplier;
    this.max = max;
    this.random = random;
  }

  /**
   * Always the exponential bound, without jitter: for pauses that are not a burst of calls at one
   * moment, such as a job looking at its routes again while none can take it (most looks find the
   * breakers open and call nothing).
   */
  public static Backoff withoutJitter(Duration initial, double multiplier, Duration max) {
    return new Backoff(initial, multiplier, max, bound -> bound);
  }

  /**
   * @param attemptsSoFar calls or looks made so far, at least 1
   * @param lastOutcome the last call's outcome, whose {@code Retry-After} is honoured; may be null
   */
  public long delayMillis(int attemptsSoFar, UpstreamOutcome<?> lastOutcome) {
    double exponential = initial.toMillis() * Math.pow(multiplier, Math.max(0, attemptsSoFar - 1));
    long bound = (long) Math.min(max.toMillis(), exponential);
    long jittered = random.applyAsLong(bound);
    long retryAfter =
        lastOutcome instanceof Failure<?> f
            ? f.retryAfter().map(Duration::toMillis).orElse(0L)
            : 0L;
    return Math.max(jittered, retryAfter);
  }
}
