package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.Cancellation;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.ValidationCode;
import io.imagefleet.worker.intake.JobEnding;
import io.imagefleet.worker.intake.JobHandler.RunningJob;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.TaskState;
import io.imagefleet.worker.upstream.UpstreamClient.Download;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One job attempt from start to its ending, through {@link JobProcessor}, on a {@link JobFixture}:
 * a scripted upstream, a manual scheduler and clock, an in-memory image store and a mock producer
 * for events and states. Everything the run does lands in the fixture's one ordered trail.
 */
class JobRunTest {
  private static final String ROUTE = JobFixture.ROUTE;
  private static final String FALLBACK = JobFixture.FALLBACK;

  private JobFixture fixture = new JobFixture();
  private JobProcessor processor;

  private void startWorker(Map<String, String> more) {
    fixture = new JobFixture(more);
    processor = fixture.processor();
  }

  private RunningJob run(JobRequest job) {
    return run(job, null);
  }

  private RunningJob run(JobRequest job, JobState restored) {
    if (processor == null) {
      processor = fixture.processor();
    }
    RunningJob run = processor.start(job, 0, restored, Instant.EPOCH, null);
    fixture.scheduler.runUntil(() -> run.ending().isDone(), Duration.ofHours(1));
    return run;
  }

  private static JobRequest.Builder job(String id) {
    return JobRequest.builder(id, "catalog", "a lamp on a desk");
  }

  private static StatusEvent ending(RunningJob run) {
    assertThat(run.ending()).as("the run ended").isCompleted();
    JobEnding ending = run.ending().join();
    assertThat(ending.event().isTerminal()).isTrue();
    return ending.event();
  }

  private long calls(String prefix) {
    return fixture.calls(prefix);
  }

  // ---- success
  // -----------------------------------------------------------------------------------

  @Test
  void recordsTheTaskBeforeAnythingElseThenPollsDownloadsStoresAndSucceeds() {
    StatusEvent end = ending(run(job("ok-1").n(2).build()));

    assertThat(fixture.trail.subList(0, 6))
        .containsExactly(
            "event ACCEPTED",
            "state SUBMITTING",
            "create " + ROUTE,
            "state SUBMITTED",
            "event SUBMITTED",
            "query task-1");
    assertThat(fixture.trail.subList(6, fixture.trail.size()))
        .containsExactlyInAnyOrder(
            "download https://files.test/task-1/0.png",
            "download https://files.test/task-1/1.png",
            "store 0",
            "store 1");
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.route()).isEqualTo(ROUTE);
    assertThat(end.routeReason()).isNull();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
    assertThat(end.images())
        .hasSize(2)
        .allSatisfy(
            image -> {
              assertThat(image.location()).startsWith("mem://");
              assertThat(image.width()).isEqualTo(1024);
              assertThat(image.height()).isEqualTo(1024);
            });
    assertThat(end.images().get(0).sourceUrl()).isEqualTo("https://files.test/task-1/0.png");
    assertThat(end.usage()).isEqualTo(FakeUpstream.USAGE);
    assertThat(end.costUsd()).isPositive();
    assertThat(end.upstreamCalls()).as("create, query, two downloads").isEqualTo(4);
    assertThat(end.unconfirmedSubmissions()).as("left out when none").isNull();
    assertThat(fixture.stored).hasSize(2);
    JobState submitted = fixture.states.get(1);
    assertThat(submitted.taskId()).isEqualTo("task-1");
    assertThat(submitted.route()).isEqualTo(ROUTE);
  }

  @Test
  void firstPollWaitsForTheEstimate() {
    startWorker(Map.of());
    RunningJob run = processor.start(job("estimate-1").build(), 0, null, Instant.EPOCH, null);
    fixture.scheduler.advance(FakeUpstream.ESTIMATE.minusMillis(1));
    assertThat(calls("query")).isZero();
    fixture.scheduler.advance(Duration.ofMillis(1));
    assertThat(calls("query")).isEqualTo(1);
    assertThat(ending(run).status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void publishesRunningWithProgressWhileTheTaskRuns() {
    fixture.upstream.queries.add(
        UpstreamOutcome.success(FakeUpstream.task("task-1", TaskState.PROCESSING, 40)));
    StatusEvent end = ending(run(job("running-1").build()));

    assertThat(fixture.events)
        .extracting(StatusEvent::status)
        .containsExactly(JobStatus.ACCEPTED, JobStatus.SUBMITTED, JobStatus.RUNNING);
    assertThat(fixture.events.get(2).progress()).isEqualTo(40);
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("query")).isEqualTo(2);
  }

  @Test
  void aResumedJobPollsItsRecordedTaskWithoutCreatingAnother() {
    JobRequest job = job("resume-1").build();
    JobState restored =
        JobState.submitted(
            JobIdentity.of(job), 1, ROUTE, null, "task-9", 0, fixture.clock.instant(), "w0");
    StatusEvent end = ending(run(job, restored));

    assertThat(calls("create")).isZero();
    assertThat(fixture.trail).startsWith("query task-9");
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.upstreamTaskId()).isEqualTo("task-9");
  }

  // ---- failures on the way
  // -----------------------------------------------------------------------

  @Test
  void aFailedTaskFailsTheJobWithTheUpstreamCode() {
    fixture.upstream.queries.add(
        UpstreamOutcome.success(FakeUpstream.failedTask("task-1", "content_policy_violation")));
    StatusEvent end = ending(run(job("refused-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo("content_policy_violation");
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
    assertThat(end.route()).isEqualTo(ROUTE);
    assertThat(calls("create")).isEqualTo(1);
  }

  @Test
  void aTaskFailedByTheServiceIsRetryableForTheProducer() {
    fixture.upstream.queries.add(
        UpstreamOutcome.success(FakeUpstream.failedTask("task-1", "service_error")));
    StatusEvent end = ending(run(job("service-1").build()));

    assertThat(end.error().code()).isEqualTo("service_error");
    assertThat(end.error().retryable()).isTrue();
  }

  @Test
  void aTransientCreateFailureIsRetriedOnTheSameRoute() {
    fixture.upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    StatusEvent end = ending(run(job("flaky-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(fixture.upstream.created).extracting(r -> r.model()).containsExactly(ROUTE, ROUTE);
    assertThat(end.route()).isEqualTo(ROUTE);
    assertThat(end.routeReason()).isNull();
    assertThat(end.unconfirmedSubmissions()).as("a 503 is an answer: nothing unconfirmed").isNull();
    assertThat(calls("state SUBMITTING")).as("the intent is recorded once").isEqualTo(1);
  }

  @Test
  void aRouteThatCannotTakeTheJobMovesItToTheNextRouteAndSaysWhy() {
    for (int i = 0; i < 4; i++) { // retry.max-attempts
      fixture.upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    StatusEvent end = ending(run(job("fallback-1").build()));

    assertThat(fixture.upstream.created)
        .extracting(r -> r.model())
        .containsExactly(ROUTE, ROUTE, ROUTE, ROUTE, FALLBACK);
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.route()).isEqualTo(FALLBACK);
    assertThat(end.routeReason()).isEqualTo(ROUTE + ": http_503");
    assertThat(fixture.events.get(1).status()).isEqualTo(JobStatus.SUBMITTED);
    assertThat(fixture.events.get(1).route()).isEqualTo(FALLBACK);
    assertThat(fixture.states)
        .filteredOn(s -> s.phase() == JobState.Phase.SUBMITTED)
        .singleElement()
        .satisfies(s -> assertThat(s.route()).isEqualTo(FALLBACK));
  }

  @Test
  void aRejectedCreationFailsTheJobWithoutTryingAnotherRoute() {
    fixture.upstream.creates.add(
        FakeUpstream.failure(FailureKind.REJECTED, "invalid_request", 400));
    StatusEvent end = ending(run(job("rejected-1").build()));

    assertThat(end.error().code()).isEqualTo("invalid_request");
    assertThat(end.error().retryable()).isFalse();
    assertThat(fixture.upstream.created).hasSize(1);
  }

  @Test
  void aJobThatMayNotFallBackWaitsForItsRouteThenFailsUnavailable() {
    startWorker(
        Map.of(
            "outage.route-wait",
            "1m",
            "breaker.window-size",
            "1000",
            "breaker.minimum-calls",
            "1000"));
    for (int i = 0; i < 1000; i++) {
      fixture.upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    Instant started = fixture.clock.instant();
    StatusEvent end = ending(run(job("nofallback-1").allowFallback(false).build()));

    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.error().message()).contains(ROUTE + ": http_503");
    assertThat(Duration.between(started, fixture.clock.instant()))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(fixture.upstream.created).extracting(r -> r.model()).containsOnly(ROUTE);
    assertThat(fixture.states).extracting(JobState::phase).contains(JobState.Phase.WAITING);
  }

  @Test
  void aLostCreationAnswerIsCountedAndTheIntentRecordedAgainBeforeTheNextCreation() {
    fixture.upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "timeout", 0));
    StatusEvent end = ending(run(job("lost-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(fixture.trail)
        .startsWith(
            "event ACCEPTED",
            "state SUBMITTING",
            "create " + ROUTE,
            "state SUBMITTING",
            "create " + ROUTE,
            "state SUBMITTED");
    assertThat(fixture.states.get(1).unconfirmed()).isEqualTo(1);
  }

  @Test
  void underTheFailPolicyALostCreationAnswerFailsTheJobInsteadOfPayingAgain() {
    startWorker(Map.of("upstream.unconfirmed-submission", "fail"));
    fixture.upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "timeout", 0));
    StatusEvent end = ending(run(job("lost-2").build()));

    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo(ErrorCodes.SUBMISSION_UNCONFIRMED);
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(fixture.upstream.created).hasSize(1);
  }

  @Test
  void underTheFailPolicyAJobLeftMidCreationFailsWithoutCallingTheUpstream() {
    startWorker(Map.of("upstream.unconfirmed-submission", "fail"));
    JobRequest job = job("in-doubt-1").build();
    JobState inDoubt =
        JobState.submitting(JobIdentity.of(job), 1, 0, fixture.clock.instant(), "w0");
    StatusEvent end = ending(run(job, inDoubt));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.SUBMISSION_UNCONFIRMED);
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(fixture.trail).isEmpty();
  }

  @Test
  void underTheResubmitPolicyAJobLeftMidCreationSubmitsAgainCountingOne() {
    JobRequest job = job("in-doubt-2").build();
    JobState inDoubt =
        JobState.submitting(JobIdentity.of(job), 1, 0, fixture.clock.instant(), "w0");
    StatusEvent end = ending(run(job, inDoubt));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(fixture.states.get(0).unconfirmed()).isEqualTo(1);
  }

  @Test
  void aCompletedTaskWithUnusableResultsFailsWithInvalidUpstreamResult() {
    fixture.upstream.queries.add(
        UpstreamOutcome.success(
            FakeUpstream.completed("task-1", List.of("ftp://files.test/0.png"))));
    StatusEvent end = ending(run(job("unusable-1").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
    assertThat(calls("download")).isZero();
  }

  @Test
  void aDownloadThatKeepsFailingFailsTheJobAfterItsRetries() {
    for (int i = 0; i < 4; i++) { // retry.max-attempts
      fixture.upstream.downloads.add(
          FakeUpstream.failure(FailureKind.TRANSIENT, "download_http_503", 503));
    }
    StatusEvent end = ending(run(job("download-1").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.IMAGE_DOWNLOAD_FAILED);
    assertThat(end.error().message()).startsWith("image 0: ");
    assertThat(end.error().retryable()).isTrue();
    assertThat(calls("download")).isEqualTo(4);
    assertThat(calls("store")).isZero();
  }

  @Test
  void aDownloadFailingOnceIsRetried() {
    fixture.upstream.downloads.add(
        FakeUpstream.failure(FailureKind.TRANSIENT, "download_http_503", 503));
    StatusEvent end = ending(run(job("download-2").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("download")).isEqualTo(2);
  }

  @Test
  void aDownloadTheWorkerRefusedKeepsItsCodeAndIsNotRetried() {
    fixture.upstream.downloads.add(
        FakeUpstream.failure(FailureKind.REJECTED, ErrorCodes.DOWNLOAD_TOO_LARGE, 0));
    StatusEvent end = ending(run(job("too-large-1").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.DOWNLOAD_TOO_LARGE);
    assertThat(end.error().retryable()).isFalse();
    assertThat(calls("download")).isEqualTo(1);
  }

  @Test
  void anImageOfTheWrongSizeIsDownloadedAgain() {
    fixture.upstream.downloads.add(
        UpstreamOutcome.success(new Download(FakeUpstream.png(512, 512), "image/png")));
    StatusEvent end = ending(run(job("wrong-size-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("download")).isEqualTo(2);
  }

  @Test
  void anImageThatNeverPassesVerificationFailsTheJob() {
    for (int i = 0; i < 10; i++) {
      fixture.upstream.downloads.add(
          UpstreamOutcome.success(new Download(FakeUpstream.png(512, 512), "image/png")));
    }
    StatusEvent end = ending(run(job("wrong-size-2").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.IMAGE_DOWNLOAD_FAILED);
    assertThat(end.error().message())
        .isEqualTo("image 0: image is 512x512 but the job asked for 1024x1024");
    assertThat(end.error().retryable()).isTrue();
    assertThat(calls("download")).isGreaterThan(1);
    assertThat(calls("store")).isZero();
  }

  @Test
  void anImageThatCannotBeStoredFailsTheJob() {
    fixture.storageFails = true;
    StatusEvent end = ending(run(job("storage-1").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.STORAGE_FAILED);
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
  }

  @Test
  void aTaskThatNeverFinishesFailsWithGenerationTimeout() {
    startWorker(Map.of("polling.task-timeout", "1m"));
    for (int i = 0; i < 1000; i++) {
      fixture.upstream.queries.add(
          UpstreamOutcome.success(FakeUpstream.task("task-1", TaskState.PROCESSING, 50)));
    }
    StatusEvent end = ending(run(job("slow-1").build()));

    assertThat(end.error().code()).isEqualTo("generation_timeout");
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
  }

  @Test
  void transientPollingTroubleNeverFailsAPaidTask() {
    for (int i = 0; i < 8; i++) {
      fixture.upstream.queries.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    StatusEvent end = ending(run(job("poll-trouble-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("create")).isEqualTo(1);
  }

  // ---- limits and money
  // --------------------------------------------------------------------------

  @Test
  void aJobOverItsCostCeilingIsRefusedWithoutCallingTheUpstream() {
    StatusEvent end =
        ending(run(job("ceiling-1").quality("high").maxCostUsd(new BigDecimal("0.0001")).build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.COST_CEILING_EXCEEDED);
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.upstreamCalls()).isZero();
    assertThat(fixture.trail).isEmpty();
  }

  @Test
  void anInvalidJobFailsWithFieldErrorsWithoutCallingTheUpstream() {
    StatusEvent end = ending(run(job("invalid-1").route("no-such-route").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.INVALID_JOB);
    assertThat(fixture.trail).isEmpty();
  }

  /** 3,000 o200k_base tokens (" cat" is one), 12,000 characters: only gpt-image-2 takes it. */
  private static final String GPT_IMAGE_2_PROMPT = "cat" + " cat".repeat(2_999);

  /** Routes gpt-image-2, gpt-image-1.5 (cheaper per image here) and maybe gpt-image-2-beta. */
  private void startModelRoutes(boolean withBeta) {
    Map<String, String> routes = new java.util.HashMap<>();
    routes.put("routes.0.model", "gpt-image-2");
    routes.put("routes.0.price.per-image", "0.5");
    routes.put("routes.1.model", "gpt-image-1.5");
    routes.put("routes.1.price.image-output", "0.029");
    if (withBeta) {
      routes.put("routes.2.model", "gpt-image-2-beta");
      routes.put("routes.2.price.per-image", "0.6");
    }
    routes.put("outage.route-wait", "1m");
    routes.put("breaker.window-size", "1000");
    routes.put("breaker.minimum-calls", "1000");
    startWorker(routes);
    for (int i = 0; i < 1000; i++) {
      fixture.upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
  }

  @Test
  void aJobItsRouteCannotDoFailsWithUnsupportedByRouteWithoutCallingTheUpstream() {
    StatusEvent end =
        ending(
            run(
                JobRequest.builder("too-long-for-1.5", "catalog", GPT_IMAGE_2_PROMPT)
                    .route(ROUTE)
                    .build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.INVALID_JOB);
    assertThat(end.error().fieldErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("prompt");
              assertThat(e.code()).isEqualTo(ValidationCode.UNSUPPORTED_BY_ROUTE.wire());
              assertThat(e.message()).contains("2000 tokens", ROUTE, "3000");
            });
    assertThat(fixture.trail).isEmpty();
  }

  @Test
  void aJobOnlyGptImage2CanDoNeverFallsBackToARouteThatCannot() {
    startModelRoutes(false);
    StatusEvent end =
        ending(
            run(
                JobRequest.builder("only-v2", "catalog", GPT_IMAGE_2_PROMPT)
                    .route("gpt-image-2")
                    .build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
    assertThat(fixture.upstream.created).extracting(r -> r.model()).containsOnly("gpt-image-2");
  }

  @Test
  void aJobOnlyGptImage2CanDoFallsBackToAnotherGptImage2ChannelOnly() {
    startModelRoutes(true);
    StatusEvent end =
        ending(
            run(
                JobRequest.builder("v2-beta", "catalog", GPT_IMAGE_2_PROMPT)
                    .route("gpt-image-2")
                    .build()));

    assertThat(fixture.upstream.created)
        .extracting(r -> r.model())
        .contains("gpt-image-2", "gpt-image-2-beta")
        .doesNotContain("gpt-image-1.5");
    assertThat(end.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
  }

  @Test
  void anOrdinaryJobFallsBackToTheCheapestRouteThatCanDoIt() {
    startModelRoutes(true);
    StatusEvent end = ending(run(job("ordinary").route("gpt-image-2").build()));

    // gpt-image-1.5 (high square: 4160 x $0.029 / 1000) is cheaper than gpt-image-2-beta ($0.6).
    assertThat(fixture.upstream.created)
        .extracting(r -> r.model())
        .containsSubsequence("gpt-image-2", "gpt-image-1.5", "gpt-image-2-beta");
    assertThat(end.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
  }

  @Test
  void aCreationRefusedForMoneyStopsSpendingAndTheJobWaitsInsteadOfFailing() {
    startWorker(Map.of());
    fixture.upstream.creates.add(
        FakeUpstream.failure(FailureKind.STOP_SPENDING, ErrorCodes.INSUFFICIENT_QUOTA, 402));
    RunningJob run = processor.start(job("money-1").build(), 0, null, Instant.EPOCH, null);
    fixture.scheduler.advance(Duration.ofSeconds(5));

    assertThat(fixture.spending.stoppedReason())
        .hasValueSatisfying(r -> assertThat(r).contains("insufficient_quota"));
    assertThat(run.ending()).isNotDone();
    assertThat(fixture.upstream.created).hasSize(1);

    fixture.scheduler.runUntil(() -> run.ending().isDone(), Duration.ofMinutes(5));
    assertThat(ending(run).status())
        .as("the probe after the interval went through")
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(fixture.spending.isOpen()).isTrue();
  }

  // ---- hand-over
  // ---------------------------------------------------------------------------------

  @Test
  void aCancelledRunStopsPollingRecordsItsTaskAndNeverEnds() {
    startWorker(Map.of());
    RunningJob run = processor.start(job("handover-1").build(), 0, null, Instant.EPOCH, null);
    assertThat(run.stopCreating()).isCompleted();
    assertThat(run.lastRecordedState().phase()).isEqualTo(JobState.Phase.SUBMITTED);
    assertThat(run.lastRecordedState().taskId()).isEqualTo("task-1");

    run.cancel();
    fixture.scheduler.advance(Duration.ofHours(1));

    assertThat(calls("query")).isZero();
    assertThat(run.ending()).isNotDone();
    assertThat(fixture.events)
        .extracting(StatusEvent::status)
        .doesNotContain(JobStatus.SUCCEEDED, JobStatus.FAILED);
  }

  @Test
  void aRunCancelledWhileWaitingForARouteCreatesNothingMore() {
    startWorker(Map.of("breaker.window-size", "1000", "breaker.minimum-calls", "1000"));
    for (int i = 0; i < 1000; i++) {
      fixture.upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    RunningJob run =
        processor.start(
            job("handover-2").allowFallback(false).build(), 0, null, Instant.EPOCH, null);
    fixture.scheduler.runUntil(
        () ->
            run.lastRecordedState() != null
                && run.lastRecordedState().phase() == JobState.Phase.WAITING,
        Duration.ofMinutes(1));
    assertThat(run.lastRecordedState().phase()).isEqualTo(JobState.Phase.WAITING);
    long created = fixture.upstream.created.size();

    run.cancel();
    fixture.scheduler.advance(Duration.ofHours(1));

    assertThat(fixture.upstream.created).hasSize((int) created);
    assertThat(run.ending()).isNotDone();
    assertThat(run.stopCreating()).isCompleted();
  }

  @Test
  void aRunWaitingForItsTurnToCreateIsHandedOverAtOnceAndCreatesNothing() {
    startWorker(Map.of("routes.0.rate-limit", "0.01")); // one creation per 100 s
    processor.start(job("turn-1").allowFallback(false).build(), 0, null, Instant.EPOCH, null);
    RunningJob second =
        processor.start(job("turn-2").allowFallback(false).build(), 0, null, Instant.EPOCH, null);
    fixture.scheduler.advance(Duration.ofSeconds(1));
    assertThat(fixture.upstream.created).hasSize(1);

    assertThat(second.stopCreating())
        .as("its creation had not begun: nothing for a hand-over to wait for")
        .isCompleted();
    second.cancel();
    fixture.scheduler.advance(Duration.ofMinutes(10));

    assertThat(fixture.upstream.created).hasSize(1);
    assertThat(second.ending()).isNotDone();
  }

  // ---- cancel requests
  // ---------------------------------------------------------------------------

  private static final Instant PUBLISHED = Instant.parse("2026-01-01T00:00:00Z");

  private static CancelRequest cancelAllQueued(String requestId) {
    return CancelRequest.ofAllQueued(
        requestId, "catalog", "published by mistake", PUBLISHED.plusSeconds(1), "test");
  }

  @Test
  void aJobACancelAlreadyCoversEndsCancelledWithItsEstimateAndCreatesNothing() {
    startWorker(Map.of());
    fixture.cancels.publish(
        CancelRequest.ofJob("c-1", "catalog", "cancel-1", "wrong prompt", PUBLISHED, "test"));
    RunningJob run = processor.start(job("cancel-1").build(), 0, null, PUBLISHED, null);
    fixture.scheduler.advance(Duration.ofMinutes(1));

    StatusEvent end = ending(run);
    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo(ErrorCodes.CANCELLED);
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.error().message()).contains("c-1", "wrong prompt");
    assertThat(end.isCancelledBeforeSubmission()).isTrue();
    assertThat(end.estimatedCostUsd()).as("what the cancel saved").isPositive();
    assertThat(end.cancellation().requestId()).isEqualTo("c-1");
    assertThat(end.cancellation().outcome()).isEqualTo(Cancellation.Outcome.NOT_SUBMITTED);
    assertThat(end.upstreamCalls()).isZero();
    assertThat(fixture.upstream.created).isEmpty();
    assertThat(fixture.trail).as("no ACCEPTED, no state").isEmpty();
    assertThat(fixture.cancels.watches()).as("the watch ends with the job").isZero();
  }

  @Test
  void aCancelThatArrivesWhileTheJobWaitsForTheControlTopicStopsItBeforeAnyCreation() {
    startWorker(Map.of());
    fixture.cancels.holdRounds();
    RunningJob run = processor.start(job("cancel-2").build(), 0, null, PUBLISHED, null);
    fixture.scheduler.advance(Duration.ofSeconds(1));
    assertThat(run.ending()).isNotDone();
    assertThat(fixture.upstream.created).as("waits for the control topic's round").isEmpty();

    fixture.cancels.publish(cancelAllQueued("c-2"));
    fixture.cancels.endRound();
    fixture.scheduler.advance(Duration.ofMinutes(1));

    assertThat(ending(run).error().code()).isEqualTo(ErrorCodes.CANCELLED);
    assertThat(fixture.upstream.created).isEmpty();
    assertThat(fixture.trail).containsExactly("event ACCEPTED");
  }

  @Test
  void aCancelOfEveryQueuedJobLeavesJobsPublishedAfterItAlone() {
    startWorker(Map.of());
    fixture.cancels.publish(cancelAllQueued("c-3"));
    RunningJob later =
        processor.start(job("cancel-3").build(), 0, null, PUBLISHED.plusSeconds(2), null);
    fixture.scheduler.runUntil(() -> later.ending().isDone(), Duration.ofHours(1));

    assertThat(ending(later).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(ending(later).cancellation()).isNull();
  }

  @Test
  void aJobWaitingForSpendingToResumeIsCancelledAndCreatesNoMore() {
    startWorker(Map.of());
    fixture.upstream.creates.add(
        FakeUpstream.failure(FailureKind.STOP_SPENDING, ErrorCodes.INSUFFICIENT_QUOTA, 402));
    RunningJob run = processor.start(job("cancel-4").build(), 0, null, PUBLISHED, null);
    fixture.scheduler.advance(Duration.ofSeconds(5));
    assertThat(fixture.upstream.created).hasSize(1);

    fixture.cancels.publish(cancelAllQueued("c-4"));
    fixture.scheduler.advance(Duration.ofHours(1));

    assertThat(ending(run).error().code()).isEqualTo(ErrorCodes.CANCELLED);
    assertThat(fixture.upstream.created).as("the refused creation only").hasSize(1);
  }

  @Test
  void aCancelAfterTheTaskWasAcceptedFinishesThePaidTaskAndSaysSo() {
    startWorker(Map.of());
    fixture.upstream.queries.add(
        UpstreamOutcome.success(FakeUpstream.task("task-1", TaskState.PROCESSING, 40)));
    RunningJob run = processor.start(job("cancel-5").build(), 0, null, PUBLISHED, null);
    fixture.scheduler.advance(Duration.ofMillis(1));
    assertThat(fixture.upstream.created).hasSize(1);

    fixture.cancels.publish(cancelAllQueued("c-5"));
    fixture.scheduler.runUntil(() -> run.ending().isDone(), Duration.ofHours(1));

    StatusEvent end = ending(run);
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.images()).hasSize(1);
    assertThat(end.cancellation().requestId()).isEqualTo("c-5");
    assertThat(end.cancellation().outcome()).isEqualTo(Cancellation.Outcome.PAID_TASK_FINISHED);
    assertThat(fixture.upstream.created).hasSize(1);
  }
}
