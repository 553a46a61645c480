package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.imagefleet.worker.config.BreakerSettings;
import io.imagefleet.worker.config.RetrySettings;
import io.imagefleet.worker.config.RoutePrices;
import io.imagefleet.worker.config.RouteSettings;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
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
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RetrySettings retry =
      new RetrySettings(4, Duration.ofMillis(1), 2.0, Duration.ofMillis(5));
  private final BreakerSettings breaker =
      new BreakerSettings(50, 100, Duration.ofSeconds(30), 10, 4, Duration.ofMinutes(5), 1);
  private final RouteGuard guard =
      new RouteGuard(
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
        new RouteGuard(
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
  void halvesTheRateLimitOnA429() {
    var limited =
        new RouteGuard(
            new RouteSettings("gpt-image-1", RoutePrices.gptImage15(), 40),
            breaker,
            new RetrySettings(1, Duration.ofMillis(1), 2.0, Duration.ofMillis(5)),
            scheduler);
    assertThat(limited.currentRateLimit()).isEqualTo(40);
    limited
        .call(
            () ->
                answer(
                    new Failure<>(
                        FailureKind.TRANSIENT,
                        "rate_limit_exceeded",
                        "slow",
                        429,
                        Optional.empty())))
        .join();
    assertThat(limited.currentRateLimit()).isEqualTo(20);
  }

  @Test
  void closesTheBreakerAgainThroughHalfOpenProbes() {
    var quick =
        new RouteGuard(
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
}
