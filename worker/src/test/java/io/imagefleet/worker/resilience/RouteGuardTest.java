package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.imagefleet.worker.config.BreakerSettings;
import io.imagefleet.worker.config.RateSettings;
import io.imagefleet.worker.config.RetrySettings;
import io.imagefleet.worker.config.RoutePrices;
import io.imagefleet.worker.config.RouteSettings;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteGuardTest {
  private static final RateSettings FAST = new RateSettings(true, 1000, 0.5, 0.01, false);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RetrySettings retry =
      new RetrySettings(4, Duration.ofMillis(1), 2.0, Duration.ofMillis(5));
  private final BreakerSettings breaker =
      new BreakerSettings(50, 100, Duration.ofSeconds(30), 10, 4, Duration.ofMinutes(5), 1);
  private final RouteGuard guard =
      routeGuard(
          new RouteSettings("gpt-image-1.5", RoutePrices.gptImage15()), breaker, retry, scheduler);
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void retriesTransientFailuresUntilSuccess() {
    var outcome =
        guard
            .call(() -> answer(calls.incrementAndGet() <= 2 ? transientFailure() : success()))
            .join();
    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(calls).hasValue(3);
  }

  @Test
  void neverRetriesTheRequestsOwnFault() {
    var outcome =
        guard
            .call(
                () -> {
                  calls.incrementAndGet();
                  return answer(
                      new Failure<>(
                          FailureKind.REJECTED, "invalid_request", "bad", 400, Optional.empty()));
                })
            .join();
    assertThat(((Failure<String>) outcome).code()).isEqualTo("invalid_request");
    assertThat(calls).hasValue(1);
  }

  @Test
  void neverRetriesWhenSpendingMustStop() {
    guard
        .call(
            () -> {
              calls.incrementAndGet();
              return answer(
                  new Failure<>(
                      FailureKind.STOP_SPENDING, "unauthorized", "bad key", 401, Optional.empty()));
            })
        .join();
    assertThat(calls).hasValue(1);
  }

  @Test
  void answersTheLastFailureWhenRetriesAreSpent() {
    var outcome =
        guard
            .call(
                () -> {
                  calls.incrementAndGet();
                  return answer(transientFailure());
                })
            .join();
    assertThat(((Failure<String>) outcome).code()).isEqualTo("http_503");
    assertThat(calls).hasValue(4);
  }

  @Test
  void opensTheBreakerOnTransientFailuresAndStopsCalling() {
    guard
        .call(
            () -> {
              calls.incrementAndGet();
              return answer(transientFailure());
            })
        .join();
    assertThat(guard.isAvailable()).isFalse();

    int before = calls.get();
    var outcome =
        guard
            .call(
                () -> {
                  calls.incrementAndGet();
                  return answer(success());
                })
            .join();
    assertThat(((Failure<String>) outcome).kind()).isEqualTo(FailureKind.ROUTE_UNAVAILABLE);
    assertThat(((Failure<String>) outcome).code()).isEqualTo("breaker_open");
    assertThat(calls).hasValue(before);
  }

  @Test
  void stopsRetryingWhenTheTotalTimeIsSpent() {
    var slowRetry =
        new RetrySettings(
            50, Duration.ofMillis(20), 1.0, Duration.ofMillis(20), Duration.ofMillis(100));
    var timeBound =
        routeGuard(
            new RouteSettings("gpt-image-1", RoutePrices.gptImage15()),
            new BreakerSettings(
                50, 100, Duration.ofSeconds(30), 1000, 1000, Duration.ofMinutes(5), 1),
            slowRetry,
            scheduler);
    var outcome =
        timeBound
            .call(
                () -> {
                  calls.incrementAndGet();
                  return answer(transientFailure());
                })
            .join();
    assertThat(((Failure<String>) outcome).code()).isEqualTo("retry_time_spent");
    assertThat(calls.get()).isLessThan(50);
  }

  @Test
  void a429IsMadeAgainAtTheLanesPaceAndNeverCountsTowardTheBreaker() {
    var outcome =
        guard
            .call(
                () ->
                    answer(
                        calls.incrementAndGet() <= 30
                            ? new Failure<String>(
                                FailureKind.THROTTLED,
                                "rate_limit_exceeded",
                                "slow down",
                                429,
                                Optional.of(Duration.ofMillis(5)))
                            : success()))
            .join();
    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(calls).hasValue(31); // far beyond retry.max-attempts: a 429 spends no attempt
    assertThat(guard.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    assertThat(guard.creations().view().fleetRate()).isLessThan(1000);
    assertThat(guard.creations().throttledCalls()).isEqualTo(30);
  }

  @Test
  void queriesOfPaidTasksGoOnWhileTheBreakerIsOpen() {
    guard.call(() -> answer(transientFailure())).join();
    assertThat(guard.isAvailable()).isFalse();

    var outcome = guard.query(() -> answer(success())).join();

    assertThat(outcome).isInstanceOf(Success.class);
  }

  @Test
  void closesTheBreakerAgainThroughHalfOpenProbes() {
    var quick =
        routeGuard(
            new RouteSettings("gpt-image-1", RoutePrices.gptImage15()),
            new BreakerSettings(50, 100, Duration.ofSeconds(30), 4, 2, Duration.ofMillis(200), 1),
            new RetrySettings(1, Duration.ofMillis(1), 2.0, Duration.ofMillis(5)),
            scheduler);
    quick.call(() -> answer(transientFailure())).join();
    quick.call(() -> answer(transientFailure())).join();
    assertThat(quick.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> quick.breakerState() == CircuitBreaker.State.HALF_OPEN);
    assertThat(quick.isAvailable()).isTrue();
    assertThat(quick.call(() -> answer(success())).join()).isInstanceOf(Success.class);
    assertThat(quick.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void permanentFailuresNeverOpenTheBreaker() {
    for (int i = 0; i < 10; i++) {
      guard
          .call(
              () ->
                  answer(
                      new Failure<>(
                          FailureKind.REJECTED,
                          "content_policy_violation",
                          "no",
                          0,
                          Optional.empty())))
          .join();
    }
    assertThat(guard.isAvailable()).isTrue();
  }

  private static CompletableFuture<UpstreamOutcome<String>> answer(
      UpstreamOutcome<String> outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  private static UpstreamOutcome<String> success() {
    return new Success<>("task-1");
  }

  private static UpstreamOutcome<String> transientFailure() {
    return new Failure<>(FailureKind.TRANSIENT, "http_503", "unavailable", 503, Optional.empty());
  }

  /** A guard whose lanes start fast, so tests wait for nothing but what they test. */
  static RouteGuard routeGuard(
      RouteSettings route,
      BreakerSettings breaker,
      RetrySettings retry,
      ScheduledExecutorService scheduler) {
    Lane creations =
        new Lane(
            Lane.creations(route.model()),
            route.rateLimitPerSecond(),
            1000,
            FAST,
            FleetLink.ALONE,
            "w-1",
            scheduler,
            Clock.systemUTC(),
            System::nanoTime);
    Lane queries =
        new Lane(
            Lane.QUERIES,
            0,
            0,
            FAST,
            FleetLink.ALONE,
            "w-1",
            scheduler,
            Clock.systemUTC(),
            System::nanoTime);
    return new RouteGuard(route, breaker, retry, creations, queries, scheduler, Clock.systemUTC());
  }
}
