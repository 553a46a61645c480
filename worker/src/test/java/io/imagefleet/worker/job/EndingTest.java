package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.intake.JobEnding;
import io.imagefleet.worker.upstream.FailureKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndingTest {
  private final JobFixture fixture = new JobFixture();
  private final Attempt attempt = fixture.attempt(JobFixture.job("end-1").build());
  private final Ending ending = new Ending(attempt, fixture.services);

  private AcceptedTask task(String model, String reason) {
    return new AcceptedTask(
        fixture.route(model),
        new Routing(model, reason),
        "task-1",
        fixture.clock.instant(),
        Duration.ofSeconds(10));
  }

  @Test
  void aSuccessCarriesTheImagesTheUsageAndItsCostOnTheRouteThatRanIt() {
    StoredImage image =
        new StoredImage(
            0, "mem://0", "https://files.test/0.png", 45, "image/png", 1024, 1024, "ab");
    ending.succeed(
        task(JobFixture.FALLBACK, "gpt-image-1.5: http_503"),
        FakeUpstream.completed("task-1", FakeUpstream.links("task-1", 1)),
        List.of(image));

    StatusEvent end = ending.future().join().event();
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.route()).isEqualTo(JobFixture.FALLBACK);
    assertThat(end.routeReason()).isEqualTo("gpt-image-1.5: http_503");
    assertThat(end.images()).containsExactly(image);
    assertThat(end.usage()).isEqualTo(FakeUpstream.USAGE);
    assertThat(end.costUsd())
        .isEqualByComparingTo(
            CostCalculator.cost(
                FakeUpstream.USAGE,
                1,
                fixture.config.route(JobFixture.FALLBACK).orElseThrow().prices()));
  }

  @Test
  void aFailureEndsTheJobWithItsCodeAndWhetherTheProducerMayRetry() {
    ending.fail(
        new Routing(JobFixture.ROUTE, null),
        "task-1",
        FakeUpstream.failure(FailureKind.TRANSIENT, "x", 0));

    StatusEvent end = ending.future().join().event();
    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo("x");
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
  }

  @Test
  void theEndingCarriesTheCallsMadeAndSettlesAnOutstandingCreation() {
    attempt.budgeted(() -> fixture.upstream.query("task-1"));
    attempt.creationStarted();
    ending.refuse(JobError.of(ErrorCodes.BUDGET_EXCEEDED, "over budget", false));

    assertThat(ending.future().join().event().upstreamCalls()).isEqualTo(1);
    assertThat(attempt.creationSettledFuture()).isCompleted();
  }

  @Test
  void onlyTheFirstEndingCounts() {
    ending.fail(JobFailures.unconfirmedError());
    ending.fail(
        new Routing(JobFixture.ROUTE, null),
        "task-1",
        FakeUpstream.failure(FailureKind.REJECTED, "y", 400));

    assertThat(ending.future().join().event().error().code())
        .isEqualTo(ErrorCodes.SUBMISSION_UNCONFIRMED);
  }

  @Test
  void theListenerHearsOfTheEndOnlyOnceItIsDurable() {
    ending.fail(JobFailures.unconfirmedError());
    JobEnding end = ending.future().join();
    assertThat(fixture.heardAfterEnd).isEmpty();

    end.afterCommit().run();
    assertThat(fixture.heardAfterEnd).containsExactly(end.event());
  }

  @Test
  void aBugEndsTheRunExceptionallyAndSettlesAnOutstandingCreation() {
    attempt.creationStarted();
    ending.crash(new IllegalStateException("bug"));

    assertThat(ending.future()).isCompletedExceptionally();
    assertThat(attempt.creationSettledFuture()).isCompleted();
  }
}
