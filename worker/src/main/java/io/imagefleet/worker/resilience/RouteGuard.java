package io.imagefleet.worker.resilience;

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
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The resilience of one route. Creations start at the route's pace ({@link Lane}), then pass a
 * Resilience4j circuit breaker, inside a Retry. Only {@link FailureKind#TRANSIENT} outcomes count
 * as breaker failures and get retried; a 429 is flow control handled by the lane (it waits and
 * calls again, never counting toward the breaker); a request's own fault passes straight through.
 * While the breaker is open, or another worker saw the route down, creations answer {@link
 * FailureKind#ROUTE_UNAVAILABLE} at once, so the job can move to another route. Queries of tasks
 * already paid for take their own lane and no breaker: nothing that happens to creations stops
 * them. Retries stop at {@code retry.max-attempts} or {@code retry.max-total-time}, whichever comes
 * first. Every delay (backoff, pace, cooldown) runs on the scheduler: no thread sleeps. Thread
 * safe.
 */
public final class RouteGuard {
  private final RouteSettings route;
  private final CircuitBreaker breaker;
  private final Retry retry;
  private final Duration maxTotalTime;
  private final Lane creations;
  private final Lane queries;
  private final ScheduledExecutorService scheduler;
  private volatile CallTimer queryTimer = CallTimer.NONE;

  RouteGuard(
      RouteSettings route,
      BreakerSettings breakerSettings,
      RetrySettings retrySettings,
      Lane creations,
      Lane queries,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.route = route;
    this.creations = creations;
    this.queries = queries;
    this.scheduler = scheduler;
    this.maxTotalTime = retrySettings.maxTotalTime();
    Backoff backoff =
        new Backoff(retrySettings, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    this.retry =
        Retry.of(
            "route-" + route.model(),
            RetryConfig.<Object>custom()
                .maxAttempts(retrySettings.maxAttempts())
                .retryOnResult(RouteGuard::isRetryable)
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
    // What this worker's breaker learns, the fleet learns: a route down for one is down for all
    // until the breaker's open time has passed or it closes again.
    breaker
        .getEventPublisher()
        .onStateTransition(
            e -> {
              switch (e.getStateTransition().getToState()) {
                case OPEN, FORCED_OPEN ->
                    creations.down(
                        clock.instant().plus(breakerSettings.openDuration()),
                        "circuit breaker opened");
                case CLOSED -> creations.up("circuit breaker closed");
                default -> {}
              }
            });
  }

  public String model() {
    return route.model();
  }

  public RouteSettings settings() {
    return route;
  }

  /**
   * Whether creations may go to this route now: its breaker is closed or half-open and no worker of
   * the fleet saw it down.
   */
  public boolean isAvailable() {
    return breaker.getState() != CircuitBreaker.State.OPEN
        && breaker.getState() != CircuitBreaker.State.FORCED_OPEN
        && !creations.isDown();
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

  /** The pace of creations on this route. */
  public Lane creations() {
    return creations;
  }

  /** Times each query on this route (queries bypass the breaker, whose events time creations). */
  public void timeQueriesWith(CallTimer timer) {
    this.queryTimer = timer;
  }

  /**
   * Makes a creation call at the route's pace, through the breaker, retrying transient failures.
   * The future never completes exceptionally: exhausted retries answer the last failure, an
   * exhausted time budget answers {@link FailureKind#ROUTE_UNAVAILABLE} so the job moves on to its
   * next route.
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> call(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    return call(call, () -> true);
  }

  /**
   * As {@link #call(Supplier)}; once {@code wanted} says the caller gave the call up, it waits for
   * no more turns of the pace (see {@link Lane#paced}).
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> call(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call, BooleanSupplier wanted) {
    long deadline = System.nanoTime() + maxTotalTime.toNanos();
    Supplier<CompletionStage<UpstreamOutcome<T>>> attempt =
        () ->
            System.nanoTime() - deadline > 0
                ? CompletableFuture.completedFuture(
                    unavailable(
                        "retry_time_spent",
                        "retries on route " + model() + " used up retry.max-total-time"))
                : creations.paced(() -> guarded(call), maxTotalTime, wanted);
    return Retry.decorateCompletionStage(retry, scheduler, attempt).get().toCompletableFuture();
  }

  /**
   * Makes a query of a task this route accepted, at the queries' pace and never through the
   * breaker: the task is paid for, and polling it must go on whatever creations go through. The
   * caller polls again on its own schedule after a failure, so there is no retry here.
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> query(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    return queries.paced(
        () -> {
          long start = System.nanoTime();
          return call.get()
              .whenComplete(
                  (outcome, error) ->
                      queryTimer.record(
                          Duration.ofNanos(System.nanoTime() - start),
                          error == null && outcome instanceof UpstreamOutcome.Success<T>));
        },
        maxTotalTime,
        () -> true);
  }

  /**
   * Retries transient failures (and 429s, after their {@code Retry-After}) of calls that are not
   * paced or breaker-guarded: image downloads from result links.
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> retryOnly(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    Supplier<CompletionStage<UpstreamOutcome<T>>> plain = call::get;
    return Retry.decorateCompletionStage(retry, scheduler, plain).get().toCompletableFuture();
  }

  /**
   * One call through the breaker, used by hand so that a 429 can be left out of its count
   * altogether (released, neither success nor failure).
   */
  private <T> CompletableFuture<UpstreamOutcome<T>> guarded(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    if (creations.isDown() || !breaker.tryAcquirePermission()) {
      return CompletableFuture.completedFuture(breakerOpen());
    }
    long start = breaker.getCurrentTimestamp();
    CompletableFuture<UpstreamOutcome<T>> started;
    try {
      started = call.get();
    } catch (RuntimeException e) {
      breaker.releasePermission();
      throw e;
    }
    return started.handle(
        (outcome, error) -> {
          UpstreamOutcome<T> o = error != null ? OutcomeClassifier.fromThrowable(error) : outcome;
          if (o instanceof Failure<T> f && f.kind() == FailureKind.THROTTLED) {
            breaker.releasePermission();
          } else {
            breaker.onResult(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), o);
          }
          return o;
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

  private static boolean isRetryable(Object outcome) {
    return outcome instanceof Failure<?> f && f.isRetryable();
  }

  /** Records how long a call took and whether it succeeded. */
  @FunctionalInterface
  public interface CallTimer {
    CallTimer NONE = (took, success) -> {};

    void record(Duration took, boolean success);
  }
}
