package io.imagefleet.worker.resilience;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A route's call rate: a Resilience4j {@link RateLimiter} whose limit halves when the upstream
 * answers 429 and climbs back by a tenth of the configured rate every {@link #RECOVERY_STEP}
 * (additive increase, multiplicative decrease). Permits are reserved, never waited for on a thread:
 * a call that must wait is scheduled. Thread safe.
 */
final class AdaptiveRateLimit {
  static final Duration RECOVERY_STEP = Duration.ofSeconds(10);

  /**
   * Beyond this wait a call is not queued behind the limiter but treated as a route that cannot
   * take it.
   */
  private static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final RateLimiter limiter;
  private final int configured;
  private final AtomicInteger current;
  private final ScheduledExecutorService scheduler;

  AdaptiveRateLimit(String name, double perSecond, ScheduledExecutorService scheduler) {
    this.configured = Math.max(1, (int) Math.round(perSecond));
    this.current = new AtomicInteger(configured);
    this.scheduler = scheduler;
    this.limiter =
        RateLimiter.of(
            name,
            RateLimiterConfig.custom()
                .limitForPeriod(configured)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(MAX_WAIT)
                .build());
    scheduler.scheduleWithFixedDelay(
        this::recover, RECOVERY_STEP.toMillis(), RECOVERY_STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code call} once a permit is free; {@code null} when the wait would exceed the limit. */
  <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
    long waitNanos = limiter.reservePermission();
    if (waitNanos < 0) {
      return null;
    }
    if (waitNanos == 0) {
      return call.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    scheduler.schedule(
        () ->
            call.get()
                .whenComplete(
                    (v, e) -> {
                      if (e != null) {
                        result.completeExceptionally(e);
                      } else {
                        result.complete(v);
                      }
                    }),
        waitNanos,
        TimeUnit.NANOSECONDS);
    return result;
  }

  /** The upstream said 429: halve the rate. */
  void slowDown() {
    int now = current.updateAndGet(c -> Math.max(1, c / 2));
    limiter.changeLimitForPeriod(now);
  }

  int currentLimit() {
    return current.get();
  }

  private void recover() {
    int step = Math.max(1, configured / 10);
    int before = current.get();
    int now = current.updateAndGet(c -> Math.min(configured, c + step));
    if (now != before) {
      limiter.changeLimitForPeriod(now);
    }
  }

  RateLimiter limiter() {
    return limiter;
  }
}
