package io.imagefleet.worker.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.imagefleet.worker.config.BreakerSettings;
import io.imagefleet.worker.config.RetrySettings;
import io.imagefleet.worker.config.RouteSettings;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.OutcomeClassifier;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The resilience of one route: a rate limit, a Resilience4j circuit breaker around each call and a
 * Retry around that. Only {@link FailureKind#TRANSIENT} outcomes count as breaker failures and get
 * retried; a request's own fault passes straight through. While the breaker is open, calls answer
 * {@link FailureKind#ROUTE_UNAVAILABLE} at once, so the job can move to another route. Retries stop
 * at {@code retry.max-attempts} or {@code retry.max-total-time}, whichever comes first. Every delay
 * (backoff, rate limit) runs on the scheduler: no thread sleeps. Thread safe.
 */
public final class RouteGuard {
  private final RouteSettings route;
  private final CircuitBreaker breaker;
  private final Retry retry;
  private final long maxTotalNanos;
  private final AdaptiveRateLimit rateLimit;
  private final ScheduledExecutorService scheduler;

  public RouteGuard(
      RouteSettings route,
      BreakerSettings breakerSettings,
      RetrySettings retrySettings,
      ScheduledExecutorService scheduler) {
    this.route = route;
    this.scheduler = scheduler;
    this.maxTotalNanos = retrySettings.maxTotalTime().toNanos();
    this.rateLimit =
        route.rateLimitPerSecond() > 0
            ? new AdaptiveRateLimit("route-" + route.model(), route.rateLimitPerSecond(), scheduler)
            : null;
    Backoff backoff =
        new Backoff(retrySettings, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    this.retry =
        Retry.of(
            "route-" + route.model(),
            RetryConfig.<Object>custom()
                .maxAttempts(retrySettings.maxAttempts())
                .retryOnResult(RouteGuard::isTransientFailure)
                .retryOnException(e -> false)
                .failAfterMaxAttempts(false)
                .intervalBiFunction(
                    (attempts, either) ->
                        backoff.delayMillis(
                            attempts, either.isRight() ? (UpstreamOutcome<?>) either.get() : null))
                .build());
    this.breaker =
        CircuitBreaker.of(
            "route-" + route.model(),
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breakerSettings.windowSize())
                .minimumNumberOfCalls(breakerSettings.minimumCalls())
                .failureRateThreshold(breakerSettings.failureRateThreshold())
                .slowCallRateThreshold(breakerSettings.slowCallRateThreshold())
                .slowCallDurationThreshold(breakerSettings.slowCallThreshold())
                .waitDurationInOpenState(breakerSettings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(breakerSettings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordResult(RouteGuard::isTransientFailure)
                .build());
  }

  public String model() {
    return route.model();
  }

  public RouteSettings settings() {
    return route;
  }

  /** Whether the breaker lets calls through now (closed or half-open). */
  public boolean isAvailable() {
    return breaker.getState() != CircuitBreaker.State.OPEN
        && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
  }

  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  /** The route's breaker, for metrics and health. */
  public CircuitBreaker circuitBreaker() {
    return breaker;
  }

  /** The route's retry, for metrics. */
  public Retry retry() {
    return retry;
  }

  /** Calls per second currently allowed, or 0 when the route is not rate limited. */
  public int currentRateLimit() {
    return rateLimit == null ? 0 : rateLimit.currentLimit();
  }

  /**
   * Runs {@code call} through the rate limit and the breaker, retrying transient failures. The
   * future never completes exceptionally: exhausted retries answer the last failure, an exhausted
   * time budget answers {@link FailureKind#ROUTE_UNAVAILABLE} so the job moves on to its next
   * route.
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> call(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    long deadline = System.nanoTime() + maxTotalNanos;
    Supplier<CompletionStage<UpstreamOutcome<T>>> attempt =
        () ->
            System.nanoTime() - deadline > 0
                ? CompletableFuture.completedFuture(
                    unavailable(
                        "retry_time_spent",
                        "retries on route " + model() + " used up retry.max-total-time"))
                : throttled(() -> guarded(call));
    return Retry.decorateCompletionStage(retry, scheduler, attempt).get().toCompletableFuture();
  }

  /**
   * Retries transient failures of calls that are not breaker-guarded (image downloads from result
   * links).
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> retryOnly(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    Supplier<CompletionStage<UpstreamOutcome<T>>> plain = call::get;
    return Retry.decorateCompletionStage(retry, scheduler, plain).get().toCompletableFuture();
  }

  private <T> CompletableFuture<UpstreamOutcome<T>> throttled(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    if (rateLimit == null) {
      return call.get();
    }
    CompletableFuture<UpstreamOutcome<T>> started = rateLimit.submit(call);
    if (started == null) {
      return CompletableFuture.completedFuture(
          unavailable("rate_limited", "route " + model() + " is saturated"));
    }
    return started.thenApply(
        outcome -> {
          if (outcome instanceof Failure<T> f && f.httpStatus() == 429) {
            rateLimit.slowDown();
          }
          return outcome;
        });
  }

  private <T> CompletableFuture<UpstreamOutcome<T>> guarded(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    CompletionStage<UpstreamOutcome<T>> stage;
    try {
      stage = CircuitBreaker.decorateCompletionStage(breaker, call::get).get();
    } catch (CallNotPermittedException e) {
      return CompletableFuture.completedFuture(breakerOpen());
    }
    return stage
        .toCompletableFuture()
        .exceptionally(
            e -> {
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              return cause instanceof CallNotPermittedException
                  ? breakerOpen()
                  : OutcomeClassifier.fromThrowable(cause);
            });
  }

  private <T> Failure<T> breakerOpen() {
    return unavailable("breaker_open", "circuit breaker of route " + model() + " is open");
  }

  private static <T> Failure<T> unavailable(String code, String message) {
    return new Failure<>(FailureKind.ROUTE_UNAVAILABLE, code, message, 0, Optional.empty());
  }

  private static boolean isTransientFailure(Object outcome) {
    return outcome instanceof Failure<?> f && f.isTransient();
  }
}
