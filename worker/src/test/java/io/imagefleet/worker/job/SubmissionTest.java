package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SubmissionTest {
  private JobFixture fixture = new JobFixture();
  private final List<AcceptedTask> accepted = new ArrayList<>();
  private Attempt attempt;
  private Ending ending;
  private Submission submission;

  private void steps(boolean allowFallback) {
    attempt = fixture.attempt(JobFixture.job("submit-1").allowFallback(allowFallback).build());
    ending = new Ending(attempt, fixture.services);
    submission =
        new Submission(
            attempt,
            fixture.services,
            new StateRecorder(attempt, fixture.services),
            ending,
            accepted::add);
  }

  private List<RouteGuard> bothRoutes() {
    return List.of(fixture.route(JobFixture.ROUTE), fixture.route(JobFixture.FALLBACK));
  }

  private void runUntilAcceptedOrEnded() {
    fixture.scheduler.runUntil(
        () -> !accepted.isEmpty() || ending.future().isDone(), Duration.ofHours(1));
  }

  private StatusEvent end() {
    runUntilAcceptedOrEnded();
    assertThat(ending.future()).isCompleted();
    return ending.future().join().event();
  }

  private void failCreations(int times, FailureKind kind, String code, int status) {
    for (int i = 0; i < times; i++) {
      fixture.upstream.creates.add(FakeUpstream.failure(kind, code, status));
    }
  }

  @Test
  void recordsTheAcceptedTaskThenAnnouncesItAndHandsItOn() {
    steps(true);
    submission.start(bothRoutes());
    runUntilAcceptedOrEnded();

    assertThat(fixture.trail)
        .containsExactly(
            "state SUBMITTING", "create " + JobFixture.ROUTE, "state SUBMITTED", "event SUBMITTED");
    assertThat(accepted)
        .singleElement()
        .satisfies(
            task -> {
              assertThat(task.id()).isEqualTo("task-1");
              assertThat(task.route().model()).isEqualTo(JobFixture.ROUTE);
              assertThat(task.routing().reason()).isNull();
              assertThat(task.estimate()).isEqualTo(FakeUpstream.ESTIMATE);
            });
    assertThat(attempt.creationSettledFuture()).isCompleted();
  }

  @Test
  void theGatewaysFallbackSuggestionIsTriedNextWhenTheJobMayUseIt() {
    fixture =
        new JobFixture(Map.of("routes.2.model", "gpt-image-2", "routes.2.price.per-image", "0.01"));
    steps(true);
    fixture.upstream.creates.add(
        new Failure<>(
            FailureKind.ROUTE_UNAVAILABLE,
            "model_not_found",
            "not served here",
            404,
            Optional.empty(),
            Optional.of("gpt-image-2")));
    submission.start(
        List.of(
            fixture.route(JobFixture.ROUTE),
            fixture.route(JobFixture.FALLBACK),
            fixture.route("gpt-image-2")));
    runUntilAcceptedOrEnded();

    assertThat(accepted)
        .singleElement()
        .satisfies(task -> assertThat(task.route().model()).isEqualTo("gpt-image-2"));
    assertThat(fixture.trail).doesNotContain("create " + JobFixture.FALLBACK);
  }

  @Test
  void aRouteThatCannotTakeTheJobPassesItToTheNextWithTheReason() {
    steps(true);
    failCreations(4, FailureKind.TRANSIENT, "http_503", 503);
    submission.start(bothRoutes());
    runUntilAcceptedOrEnded();

    assertThat(accepted)
        .singleElement()
        .satisfies(
            task -> {
              assertThat(task.route().model()).isEqualTo(JobFixture.FALLBACK);
              assertThat(task.routing().reason()).isEqualTo(JobFixture.ROUTE + ": http_503");
            });
    assertThat(fixture.states)
        .filteredOn(s -> s.phase() == JobState.Phase.SUBMITTED)
        .singleElement()
        .satisfies(s -> assertThat(s.routeReason()).isEqualTo(JobFixture.ROUTE + ": http_503"));
  }

  @Test
  void aRouteWithAnOpenBreakerIsSkippedWithoutACall() {
    fixture =
        new JobFixture(
            Map.of(
                "breaker.window-size",
                "1",
                "breaker.minimum-calls",
                "1",
                "retry.max-attempts",
                "1"));
    steps(true);
    fixture
        .route(JobFixture.ROUTE)
        .call(
            () ->
                CompletableFuture.completedFuture(
                    FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503)))
        .join();
    assertThat(fixture.route(JobFixture.ROUTE).isAvailable())
        .as("one failure opened the breaker")
        .isFalse();
    submission.start(bothRoutes());
    runUntilAcceptedOrEnded();

    assertThat(fixture.trail).doesNotContain("create " + JobFixture.ROUTE);
    assertThat(accepted)
        .singleElement()
        .satisfies(
            task ->
                assertThat(task.routing().reason()).isEqualTo(JobFixture.ROUTE + ": breaker open"));
  }

  @Test
  void aRequestsOwnFaultFailsTheJobOnThatRoute() {
    steps(true);
    failCreations(1, FailureKind.REJECTED, "invalid_request", 400);
    submission.start(bothRoutes());
    StatusEvent end = end();

    assertThat(end.error().code()).isEqualTo("invalid_request");
    assertThat(end.route()).isEqualTo(JobFixture.ROUTE);
    assertThat(fixture.calls("create")).isEqualTo(1);
    assertThat(attempt.creationSettledFuture()).isCompleted();
  }

  @Test
  void waitsForARouteOnTheSharedBackoffThenFailsUnavailable() {
    fixture = new JobFixture(Map.of("outage.route-wait", "1m"));
    steps(false);
    failCreations(1000, FailureKind.ROUTE_UNAVAILABLE, "rate_limited", 0);
    Instant start = fixture.clock.instant();
    submission.start(List.of(fixture.route(JobFixture.ROUTE)));
    StatusEvent end = end();

    assertThat(fixture.createTimes)
        .extracting(t -> Duration.between(start, t).toSeconds())
        .containsExactly(0L, 1L, 3L, 7L, 15L, 31L, 61L);
    assertThat(end.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.route()).isEqualTo(JobFixture.ROUTE);
    assertThat(fixture.states).extracting(JobState::phase).contains(JobState.Phase.WAITING);
  }

  @Test
  void aMoneyRefusalStopsSpendingAndOnlyAProbeSubmitsUntilItResumes() {
    steps(true);
    failCreations(1, FailureKind.STOP_SPENDING, ErrorCodes.INSUFFICIENT_QUOTA, 402);
    submission.start(bothRoutes());
    fixture.scheduler.advance(Duration.ofSeconds(29));

    assertThat(fixture.spending.isOpen()).isFalse();
    assertThat(fixture.calls("create")).isEqualTo(1);

    runUntilAcceptedOrEnded();
    assertThat(accepted).hasSize(1);
    assertThat(fixture.spending.isOpen()).isTrue();
  }

  @Test
  void underTheFailPolicyALostAnswerFailsTheJob() {
    fixture = new JobFixture(Map.of("upstream.unconfirmed-submission", "fail"));
    steps(true);
    failCreations(1, FailureKind.TRANSIENT, "timeout", 0);
    submission.start(bothRoutes());
    StatusEvent end = end();

    assertThat(end.error().code()).isEqualTo(ErrorCodes.SUBMISSION_UNCONFIRMED);
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(fixture.calls("create")).isEqualTo(1);
  }

  @Test
  void aJobHandedOverWhileItsIntentIsRecordedCreatesNothing() {
    steps(true);
    fixture.stateWritesToFail = 1;
    submission.start(bothRoutes());
    assertThat(attempt.creationSettledFuture()).isNotDone();
    attempt.cancel();
    fixture.scheduler.advance(Duration.ofHours(1));

    assertThat(fixture.calls("create")).isZero();
    assertThat(attempt.creationSettledFuture()).isCompleted();
    assertThat(ending.future()).isNotDone();
  }
}
