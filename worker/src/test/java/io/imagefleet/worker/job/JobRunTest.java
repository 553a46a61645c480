package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.testing.MutableClock;
import io.imagefleet.worker.budget.Budgets;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.intake.JobEnding;
import io.imagefleet.worker.intake.JobHandler.RunningJob;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.resilience.SpendingGate;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import io.imagefleet.worker.state.StateWriter;
import io.imagefleet.worker.storage.ImageKey;
import io.imagefleet.worker.storage.ImageStore;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.TaskState;
import io.imagefleet.worker.upstream.UpstreamClient.Download;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * One job attempt from start to its ending, through {@link JobProcessor}, against a scripted upstream,
 * a manual scheduler and clock, an in-memory image store and a mock producer for events and states.
 * Everything the run does (events, states, upstream calls, stored images) lands in one ordered trail.
 */
class JobRunTest {
  private static final String ROUTE = "gpt-image-1.5";
  private static final String FALLBACK = "gpt-image-1";

  private final List<String> trail = new ArrayList<>();
  private final List<StatusEvent> events = new ArrayList<>();
  private final List<JobState> states = new ArrayList<>();
  private final Map<Integer, byte[]> stored = new HashMap<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FakeUpstream upstream = new FakeUpstream(trail::add);
  private boolean storageFails;
  private SpendingGate spending;
  private JobProcessor processor;

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
          if (record.topic().equals("state")) {
            JobState state = StateCodec.decode(record.value());
            states.add(state);
            trail.add("state " + state.phase());
          } else {
            StatusEvent event = read(record.value());
            events.add(event);
            trail.add("event " + event.status());
          }
          return super.send(record, callback);
        }
      };

  private final ImageStore store = new ImageStore() {
    @Override
    public CompletableFuture<String> put(ImageKey key, byte[] bytes) {
      trail.add("store " + key.index());
      if (storageFails) {
        return CompletableFuture.failedFuture(new IOException("disk full"));
      }
      stored.put(key.index(), bytes);
      return CompletableFuture.completedFuture("mem://" + key.relativePath());
    }

    @Override
    public void close() {}
  };

  private void startWorker(Map<String, String> more) {
    Map<String, String> values = new HashMap<>(Map.of(
        "worker.id", "w1",
        "kafka.bootstrap.servers", "unused:9092",
        "upstream.base-url", "http://unused",
        "upstream.api-key", "k",
        "topics.jobs", "jobs",
        "topics.state", "state",
        "topics.events", "events",
        "routes.0.model", ROUTE,
        "routes.1.model", FALLBACK,
        "outage.route-wait", "2m"));
    values.putAll(more);
    WorkerConfig config = ConfigLoader.fromMap(values, Map.of());
    spending = new SpendingGate(clock, config.outage().probeInterval());
    processor = new JobProcessor(config, upstream, new RouteTable(config, scheduler), spending, store,
        new EventPublisher(producer, "events", new RecordBudget(1_000_000)), new StateWriter(producer, "state"),
        scheduler, clock, Budgets.NONE, TerminalListener.NONE);
  }

  private RunningJob run(JobRequest job) {
    return run(job, null);
  }

  private RunningJob run(JobRequest job, JobState restored) {
    if (processor == null) {
      startWorker(Map.of());
    }
    RunningJob run = processor.start(job, 0, restored);
    scheduler.runUntil(() -> run.ending().isDone(), Duration.ofHours(1));
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
    return trail.stream().filter(t -> t.startsWith(prefix)).count();
  }

  // ---- success -----------------------------------------------------------------------------------

  @Test
  void recordsTheTaskBeforeAnythingElseThenPollsDownloadsStoresAndSucceeds() {
    StatusEvent end = ending(run(job("ok-1").n(2).build()));

    assertThat(trail.subList(0, 6)).containsExactly(
        "event ACCEPTED",
        "state SUBMITTING",
        "create " + ROUTE,
        "state SUBMITTED",
        "event SUBMITTED",
        "query task-1");
    assertThat(trail.subList(6, trail.size())).containsExactlyInAnyOrder(
        "download https://files.test/task-1/0.png",
        "download https://files.test/task-1/1.png",
        "store 0",
        "store 1");
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.route()).isEqualTo(ROUTE);
    assertThat(end.routeReason()).isNull();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
    assertThat(end.images()).hasSize(2).allSatisfy(image -> {
      assertThat(image.location()).startsWith("mem://");
      assertThat(image.width()).isEqualTo(1024);
      assertThat(image.height()).isEqualTo(1024);
    });
    assertThat(end.images().get(0).sourceUrl()).isEqualTo("https://files.test/task-1/0.png");
    assertThat(end.usage()).isEqualTo(FakeUpstream.USAGE);
    assertThat(end.costUsd()).isPositive();
    assertThat(end.upstreamCalls()).as("create, query, two downloads").isEqualTo(4);
    assertThat(end.unconfirmedSubmissions()).as("left out when none").isNull();
    assertThat(stored).hasSize(2);
    JobState submitted = states.get(1);
    assertThat(submitted.taskId()).isEqualTo("task-1");
    assertThat(submitted.route()).isEqualTo(ROUTE);
  }

  @Test
  void firstPollWaitsForTheEstimate() {
    startWorker(Map.of());
    RunningJob run = processor.start(job("estimate-1").build(), 0, null);
    scheduler.advance(FakeUpstream.ESTIMATE.minusMillis(1));
    assertThat(calls("query")).isZero();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(calls("query")).isEqualTo(1);
    assertThat(ending(run).status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void publishesRunningWithProgressWhileTheTaskRuns() {
    upstream.queries.add(UpstreamOutcome.success(FakeUpstream.task("task-1", TaskState.PROCESSING, 40)));
    StatusEvent end = ending(run(job("running-1").build()));

    assertThat(events).extracting(StatusEvent::status).containsExactly(
        JobStatus.ACCEPTED, JobStatus.SUBMITTED, JobStatus.RUNNING);
    assertThat(events.get(2).progress()).isEqualTo(40);
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("query")).isEqualTo(2);
  }

  @Test
  void aResumedJobPollsItsRecordedTaskWithoutCreatingAnother() {
    JobRequest job = job("resume-1").build();
    JobState restored = JobState.submitted(JobIdentity.of(job), 1, ROUTE, null, "task-9", 0, clock.instant(), "w0");
    StatusEvent end = ending(run(job, restored));

    assertThat(calls("create")).isZero();
    assertThat(trail).startsWith("query task-9");
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.upstreamTaskId()).isEqualTo("task-9");
  }

  // ---- failures on the way -----------------------------------------------------------------------

  @Test
  void aFailedTaskFailsTheJobWithTheUpstreamCode() {
    upstream.queries.add(UpstreamOutcome.success(FakeUpstream.failedTask("task-1", "content_policy_violation")));
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
    upstream.queries.add(UpstreamOutcome.success(FakeUpstream.failedTask("task-1", "service_error")));
    StatusEvent end = ending(run(job("service-1").build()));

    assertThat(end.error().code()).isEqualTo("service_error");
    assertThat(end.error().retryable()).isTrue();
  }

  @Test
  void aTransientCreateFailureIsRetriedOnTheSameRoute() {
    upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    StatusEvent end = ending(run(job("flaky-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(upstream.created).extracting(r -> r.model()).containsExactly(ROUTE, ROUTE);
    assertThat(end.route()).isEqualTo(ROUTE);
    assertThat(end.routeReason()).isNull();
    assertThat(end.unconfirmedSubmissions()).as("a 503 is an answer: nothing unconfirmed").isNull();
    assertThat(calls("state SUBMITTING")).as("the intent is recorded once").isEqualTo(1);
  }

  @Test
  void aRouteThatCannotTakeTheJobMovesItToTheNextRouteAndSaysWhy() {
    for (int i = 0; i < 4; i++) { // retry.max-attempts
      upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    StatusEvent end = ending(run(job("fallback-1").build()));

    assertThat(upstream.created).extracting(r -> r.model()).containsExactly(ROUTE, ROUTE, ROUTE, ROUTE, FALLBACK);
    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.route()).isEqualTo(FALLBACK);
    assertThat(end.routeReason()).isEqualTo(ROUTE + ": http_503");
    assertThat(events.get(1).status()).isEqualTo(JobStatus.SUBMITTED);
    assertThat(events.get(1).route()).isEqualTo(FALLBACK);
    assertThat(states).filteredOn(s -> s.phase() == JobState.Phase.SUBMITTED).singleElement()
        .satisfies(s -> assertThat(s.route()).isEqualTo(FALLBACK));
  }

  @Test
  void aRejectedCreationFailsTheJobWithoutTryingAnotherRoute() {
    upstream.creates.add(FakeUpstream.failure(FailureKind.REJECTED, "invalid_request", 400));
    StatusEvent end = ending(run(job("rejected-1").build()));

    assertThat(end.error().code()).isEqualTo("invalid_request");
    assertThat(end.error().retryable()).isFalse();
    assertThat(upstream.created).hasSize(1);
  }

  @Test
  void aJobThatMayNotFallBackWaitsForItsRouteThenFailsUnavailable() {
    startWorker(Map.of("outage.route-wait", "1m", "breaker.window-size", "1000", "breaker.minimum-calls", "1000"));
    for (int i = 0; i < 1000; i++) {
      upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    Instant started = clock.instant();
    StatusEvent end = ending(run(job("nofallback-1").allowFallback(false).build()));

    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.error().message()).contains(ROUTE + ": http_503");
    assertThat(Duration.between(started, clock.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(upstream.created).extracting(r -> r.model()).containsOnly(ROUTE);
    assertThat(states).extracting(JobState::phase).contains(JobState.Phase.WAITING);
  }

  @Test
  void aLostCreationAnswerIsCountedAndTheIntentRecordedAgainBeforeTheNextCreation() {
    upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "timeout", 0));
    StatusEvent end = ending(run(job("lost-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(trail).startsWith("event ACCEPTED", "state SUBMITTING", "create " + ROUTE, "state SUBMITTING",
        "create " + ROUTE, "state SUBMITTED");
    assertThat(states.get(1).unconfirmed()).isEqualTo(1);
  }

  @Test
  void underTheFailPolicyALostCreationAnswerFailsTheJobInsteadOfPayingAgain() {
    startWorker(Map.of("upstream.unconfirmed-submission", "fail"));
    upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "timeout", 0));
    StatusEvent end = ending(run(job("lost-2").build()));

    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo(ErrorCodes.SUBMISSION_UNCONFIRMED);
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(upstream.created).hasSize(1);
  }

  @Test
  void underTheFailPolicyAJobLeftMidCreationFailsWithoutCallingTheUpstream() {
    startWorker(Map.of("upstream.unconfirmed-submission", "fail"));
    JobRequest job = job("in-doubt-1").build();
    JobState inDoubt = JobState.submitting(JobIdentity.of(job), 1, 0, clock.instant(), "w0");
    StatusEvent end = ending(run(job, inDoubt));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.SUBMISSION_UNCONFIRMED);
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(trail).isEmpty();
  }

  @Test
  void underTheResubmitPolicyAJobLeftMidCreationSubmitsAgainCountingOne() {
    JobRequest job = job("in-doubt-2").build();
    JobState inDoubt = JobState.submitting(JobIdentity.of(job), 1, 0, clock.instant(), "w0");
    StatusEvent end = ending(run(job, inDoubt));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
    assertThat(states.get(0).unconfirmed()).isEqualTo(1);
  }

  @Test
  void aCompletedTaskWithUnusableResultsFailsWithInvalidUpstreamResult() {
    upstream.queries.add(UpstreamOutcome.success(FakeUpstream.completed("task-1", List.of("ftp://files.test/0.png"))));
    StatusEvent end = ending(run(job("unusable-1").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
    assertThat(calls("download")).isZero();
  }

  @Test
  void aDownloadThatKeepsFailingFailsTheJobAfterItsRetries() {
    for (int i = 0; i < 4; i++) { // retry.max-attempts
      upstream.downloads.add(FakeUpstream.failure(FailureKind.TRANSIENT, "download_http_503", 503));
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
    upstream.downloads.add(FakeUpstream.failure(FailureKind.TRANSIENT, "download_http_503", 503));
    StatusEvent end = ending(run(job("download-2").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("download")).isEqualTo(2);
  }

  @Test
  void aDownloadTheWorkerRefusedKeepsItsCodeAndIsNotRetried() {
    upstream.downloads.add(FakeUpstream.failure(FailureKind.REJECTED, ErrorCodes.DOWNLOAD_TOO_LARGE, 0));
    StatusEvent end = ending(run(job("too-large-1").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.DOWNLOAD_TOO_LARGE);
    assertThat(end.error().retryable()).isFalse();
    assertThat(calls("download")).isEqualTo(1);
  }

  @Test
  void anImageOfTheWrongSizeIsDownloadedAgain() {
    upstream.downloads.add(UpstreamOutcome.success(new Download(FakeUpstream.png(512, 512), "image/png")));
    StatusEvent end = ending(run(job("wrong-size-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("download")).isEqualTo(2);
  }

  @Test
  void anImageThatNeverPassesVerificationFailsTheJob() {
    for (int i = 0; i < 10; i++) {
      upstream.downloads.add(UpstreamOutcome.success(new Download(FakeUpstream.png(512, 512), "image/png")));
    }
    StatusEvent end = ending(run(job("wrong-size-2").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.IMAGE_DOWNLOAD_FAILED);
    assertThat(end.error().message()).isEqualTo("image 0: image is 512x512 but the job asked for 1024x1024");
    assertThat(end.error().retryable()).isTrue();
    assertThat(calls("download")).isGreaterThan(1);
    assertThat(calls("store")).isZero();
  }

  @Test
  void anImageThatCannotBeStoredFailsTheJob() {
    storageFails = true;
    StatusEvent end = ending(run(job("storage-1").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.STORAGE_FAILED);
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
  }

  @Test
  void aTaskThatNeverFinishesFailsWithGenerationTimeout() {
    startWorker(Map.of("polling.task-timeout", "1m"));
    for (int i = 0; i < 1000; i++) {
      upstream.queries.add(UpstreamOutcome.success(FakeUpstream.task("task-1", TaskState.PROCESSING, 50)));
    }
    StatusEvent end = ending(run(job("slow-1").build()));

    assertThat(end.error().code()).isEqualTo("generation_timeout");
    assertThat(end.error().retryable()).isTrue();
    assertThat(end.upstreamTaskId()).isEqualTo("task-1");
  }

  @Test
  void transientPollingTroubleNeverFailsAPaidTask() {
    for (int i = 0; i < 8; i++) {
      upstream.queries.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    StatusEvent end = ending(run(job("poll-trouble-1").build()));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(calls("create")).isEqualTo(1);
  }

  // ---- limits and money --------------------------------------------------------------------------

  @Test
  void aJobOverItsCostCeilingIsRefusedWithoutCallingTheUpstream() {
    StatusEvent end = ending(run(job("ceiling-1").quality("high").maxCostUsd(new BigDecimal("0.0001")).build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.COST_CEILING_EXCEEDED);
    assertThat(end.error().retryable()).isFalse();
    assertThat(end.upstreamCalls()).isZero();
    assertThat(trail).isEmpty();
  }

  @Test
  void anInvalidJobFailsWithFieldErrorsWithoutCallingTheUpstream() {
    StatusEvent end = ending(run(job("invalid-1").route("no-such-route").build()));

    assertThat(end.error().code()).isEqualTo(ErrorCodes.INVALID_JOB);
    assertThat(trail).isEmpty();
  }

  @Test
  void aCreationRefusedForMoneyStopsSpendingAndTheJobWaitsInsteadOfFailing() {
    startWorker(Map.of());
    upstream.creates.add(FakeUpstream.failure(FailureKind.STOP_SPENDING, ErrorCodes.INSUFFICIENT_QUOTA, 402));
    RunningJob run = processor.start(job("money-1").build(), 0, null);
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(spending.stoppedReason()).hasValueSatisfying(r -> assertThat(r).contains("insufficient_quota"));
    assertThat(run.ending()).isNotDone();
    assertThat(upstream.created).hasSize(1);

    scheduler.runUntil(() -> run.ending().isDone(), Duration.ofMinutes(5));
    assertThat(ending(run).status()).as("the probe after the interval went through").isEqualTo(JobStatus.SUCCEEDED);
    assertThat(spending.isOpen()).isTrue();
  }

  // ---- hand-over ---------------------------------------------------------------------------------

  @Test
  void aCancelledRunStopsPollingRecordsItsTaskAndNeverEnds() {
    startWorker(Map.of());
    RunningJob run = processor.start(job("handover-1").build(), 0, null);
    assertThat(run.submitSettled()).isCompleted();
    assertThat(run.lastRecordedState().phase()).isEqualTo(JobState.Phase.SUBMITTED);
    assertThat(run.lastRecordedState().taskId()).isEqualTo("task-1");

    run.cancel();
    scheduler.advance(Duration.ofHours(1));

    assertThat(calls("query")).isZero();
    assertThat(run.ending()).isNotDone();
    assertThat(events).extracting(StatusEvent::status).doesNotContain(JobStatus.SUCCEEDED, JobStatus.FAILED);
  }

  @Test
  void aRunCancelledWhileWaitingForARouteCreatesNothingMore() {
    startWorker(Map.of("breaker.window-size", "1000", "breaker.minimum-calls", "1000"));
    for (int i = 0; i < 1000; i++) {
      upstream.creates.add(FakeUpstream.failure(FailureKind.TRANSIENT, "http_503", 503));
    }
    RunningJob run = processor.start(job("handover-2").allowFallback(false).build(), 0, null);
    scheduler.runUntil(() -> run.lastRecordedState() != null
        && run.lastRecordedState().phase() == JobState.Phase.WAITING, Duration.ofMinutes(1));
    assertThat(run.lastRecordedState().phase()).isEqualTo(JobState.Phase.WAITING);
    long created = upstream.created.size();

    run.cancel();
    scheduler.advance(Duration.ofHours(1));

    assertThat(upstream.created).hasSize((int) created);
    assertThat(run.ending()).isNotDone();
    assertThat(run.submitSettled()).isCompleted();
  }

  private static StatusEvent read(byte[] json) {
    try {
      return Json.mapper().readValue(json, StatusEvent.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
