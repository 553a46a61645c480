package io.imagefleet.worker.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.imagefleet.worker.config.BreakerSettings;
import io.imagefleet.worker.config.RetrySettings;
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
 * The resilience of one route: a Resilience4j circuit breaker around each call and a Retry around
 * that. Only {@link FailureKind#TRANSIENT} outcomes count as breaker failures and get retried; a
 * request's own fault passes straight through. While the breaker is open, calls answer
 * {@link FailureKind#ROUTE_UNAVAILABLE} at once, so the job can move to another route. Retry delays
 * run on the scheduler: no thread sleeps. Thread safe.
 */
public final class RouteGuard {
  private final String model;
  private final CircuitBreaker breaker;
  private final ScheduledExecutorService scheduler;
  private final Retry retry;

  public RouteGuard(String model, BreakerSettings breakerSettings, RetrySettings retrySettings,
      ScheduledExecutorService scheduler) {
    this.model = model;
    this.scheduler = scheduler;
    Backoff backoff = new Backoff(retrySettings, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    this.retry = Retry.of("route-" + model, RetryConfig.<Object>custom()
        .maxAttempts(retrySettings.maxAttempts())
        .retryOnResult(RouteGuard::isTransientFailure)
        .retryOnException(e -> false)
        .failAfterMaxAttempts(false)
        .intervalBiFunction((attempts, either) ->
            backoff.delayMillis(attempts, either.isRight() ? (UpstreamOutcome<?>) either.get() : null))
        .build());
    this.breaker = CircuitBreaker.of("route-" + model, CircuitBreakerConfig.custom()
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
    return model;
  }

  /** Whether the breaker lets calls through now (closed or half-open). */
  public boolean isAvailable() {
    return breaker.getState() != CircuitBreaker.State.OPEN && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
  }

  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  /**
   * Runs {@code call} through the breaker, retrying transient failures. The future never completes
   * exceptionally: exhausted retries answer the last failure.
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> call(Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    return Retry.decorateCompletionStage(retry, scheduler, () -> guarded(call)).get().toCompletableFuture();
  }

  /** Retries transient failures of calls that are not breaker-guarded (image downloads from result links). */
  public <T> CompletableFuture<UpstreamOutcome<T>> retryOnly(Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    Supplier<CompletionStage<UpstreamOutcome<T>>> plain = call::get;
    return Retry.decorateCompletionStage(retry, scheduler, plain).get().toCompletableFuture();
  }

  private <T> CompletionStage<UpstreamOutcome<T>> guarded(Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    CompletionStage<UpstreamOutcome<T>> stage;
    try {
      stage = CircuitBreaker.decorateCompletionStage(breaker, call::get).get();
    } catch (CallNotPermittedException e) {
      return CompletableFuture.completedFuture(routeUnavailable());
    }
    return stage.exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      return cause instanceof CallNotPermittedException ? routeUnavailable() : OutcomeClassifier.fromThrowable(cause);
    });
  }

  private <T> Failure<T> routeUnavailable() {
    return new Failure<>(FailureKind.ROUTE_UNAVAILABLE, "route_unavailable",
        "circuit breaker of route " + model + " is open", 0, Optional.empty());
  }

  private static boolean isTransientFailure(Object outcome) {
    return outcome instanceof Failure<?> f && f.isTransient();
  }
}
