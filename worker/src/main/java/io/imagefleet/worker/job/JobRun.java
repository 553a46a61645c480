package io.imagefleet.worker.job;

import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.contracts.ValidationCode;
import io.imagefleet.worker.config.UpstreamSettings.UnconfirmedSubmission;
import io.imagefleet.worker.resilience.Backoff;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.storage.ImageFacts;
import io.imagefleet.worker.storage.ImageInspector;
import io.imagefleet.worker.storage.ImageKey;
import io.imagefleet.worker.storage.UnusableImageException;
import io.imagefleet.worker.upstream.CreateTaskRequest;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.intake.JobEnding;
import io.imagefleet.worker.intake.JobHandler;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.OutcomeClassifier;
import io.imagefleet.worker.upstream.ResultCheck;
import io.imagefleet.worker.upstream.UpstreamClient.Download;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import io.imagefleet.worker.upstream.UpstreamTask;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one job, from validation to its terminal event:
 * {@code validate -> ACCEPTED -> submit (route plan) -> SUBMITTED -> poll (RUNNING*) -> download,
 * verify, store -> SUCCEEDED | FAILED}.
 *
 * <p>Steps run as callbacks on the HTTP, storage and scheduler threads; each step starts only after
 * the previous one ended, so the fields below are never touched by two threads at once (the
 * hand-over through {@link CompletableFuture} publishes them safely). Nothing here blocks a thread.
 */
final class JobRun implements JobHandler.RunningJob {
  private static final Logger log = LoggerFactory.getLogger(JobRun.class);
  /** Pauses between looks at the route plan while no route can take the job: 1 s, 2 s, 4 s ... 30 s. */
  private static final Backoff ROUTE_WAIT = Backoff.withoutJitter(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

  private final JobRequest job;
  private final JobServices s;
  private final int partition;
  private final CompletableFuture<JobEnding> done = new CompletableFuture<>();
  /** Completes when no task creation is outstanding; a hand-over waits for it. Replaced per creation. */
  private volatile CompletableFuture<Void> createSettled = CompletableFuture.completedFuture(null);
  private volatile boolean cancelled;

  private final AtomicInteger upstreamCalls = new AtomicInteger();
  /** Task creations whose answer never arrived, this attempt's previous owners' included. */
  private final AtomicInteger unconfirmed = new AtomicInteger();
  /** The count written in the durable SUBMITTING state, or -1 while none is (nothing outstanding). */
  private int intentRecorded = -1;
  /** The last state written and acknowledged, for a run started again after a worker bug. */
  private volatile JobState lastRecorded;
  private List<RouteGuard> plan = List.of();
  private RouteGuard route;
  private Routing routing = Routing.NONE;
  private Instant waitingSince;
  private int waits;
  private String taskId;
  private Instant submittedAt;
  private Duration estimate = Duration.ZERO;
  private int pollsOverdue;
  private int lastProgress = -1;
  private Instant lastRunningEventAt = Instant.MIN;

  JobRun(JobRequest job, int partition, JobServices services) {
    this.job = job;
    this.partition = partition;
    this.s = services;
  }

  CompletableFuture<JobEnding> start() {
    try {
      List<FieldError> errors = new ArrayList<>(s.validator().validate(job));
      boolean routeChecked = errors.stream().anyMatch(e -> e.field().equals("route"));
      if (!routeChecked && s.routes().guard(job.route()).isEmpty()) {
        errors.add(new FieldError("route", ValidationCode.UNSUPPORTED_VALUE.wire(),
            "route is not configured on this fleet; configured: "
                + s.routes().all().stream().map(RouteGuard::model).toList()));
      }
      if (!errors.isEmpty()) {
        JobLog.info(log, job, "job invalid: {}", errors);
        finish(s.events().failed(job, Routing.NONE, null, JobError.invalid(errors)));
        return done;
      }
      java.util.Optional<JobError> overCeiling = s.limits().overCeiling(job);
      if (overCeiling.isPresent()) {
        refuse(overCeiling.get());
        return done;
      }
      JobLog.info(log, job, "job accepted: route={} size={} quality={} n={}", job.route(), job.size(), job.quality(), job.n());
      s.publisher().publish(s.events().accepted(job, new Routing(job.route(), null)));
      plan = s.routes().plan(job.route(), job.allowFallback(),
          r -> s.limits().estimator().estimate(job, r.model()).orElse(BigDecimal.ZERO),
          r -> s.limits().withinCeiling(job, r));
      reserveThenSubmit();
    } catch (RuntimeException e) {
      crash(e);
    }
    return done;
  }

  /**
   * Takes over a job whose task the upstream already accepted (state restored from the job-state
   * topic after a crash, a rebalance or a replay): polls that task instead of paying for another.
   */
  void resume(JobState state) {
    try {
      unconfirmed.set(state.unconfirmed());
      route = s.routes().guard(state.route()).orElseGet(() -> s.routes().all().get(0));
      routing = new Routing(state.route(), state.routeReason());
      taskId = state.taskId();
      submittedAt = s.clock().instant();
      JobLog.info(log, job, "job resumed: task {} on route {} was accepted before (by {})", taskId, state.route(),
          state.workerId());
      schedulePoll(Duration.ZERO);
    } catch (RuntimeException e) {
      crash(e);
    }
  }

  /**
   * Takes over a job whose previous owner stopped before the upstream accepted a task. When that owner
   * may have had a creation outstanding (its SUBMITTING state), the upstream may hold a paid task this
   * fleet cannot find: the job either submits again, counting one unconfirmed submission, or fails
   * with {@code submission_unconfirmed}, as {@code upstream.unconfirmed-submission} says.
   */
  CompletableFuture<JobEnding> restart(JobState state) {
    unconfirmed.set(state.unconfirmed() + (state.isInDoubt() ? 1 : 0));
    if (state.isInDoubt()) {
      JobLog.warn(log, job, "the previous owner ({}) stopped while creating a task: the upstream may have accepted it",
          state.workerId());
      if (s.config().upstream().onUnconfirmedSubmission() == UnconfirmedSubmission.FAIL) {
        finish(s.events().failed(job, Routing.NONE, null, JobFailures.unconfirmedError()));
        return done;
      }
    }
    return start();
  }

  @Override
  public CompletableFuture<JobEnding> ending() {
    return done;
  }

  @Override
  public CompletableFuture<Void> submitSettled() {
    return createSettled;
  }

  @Override
  public JobState lastRecordedState() {
    return lastRecorded;
  }

  /** Stops polling and every later step; the partition's next owner resumes the job from its state. */
  @Override
  public void cancel() {
    cancelled = true;
  }

  // ---- spending limits (CostLimits) -----------------------------------------------------------

  /** Reserves the job's estimate from its tenant's budget; submits only when that is granted. */
  private void reserveThenSubmit() {
    CompletableFuture<java.util.Optional<JobError>> decided =
        s.limits().reserve(job, plan.stream().map(RouteGuard::model).toList());
    // A decision read from the budget ledger arrives on the ledger's thread: continue on ours.
    (decided.isDone() ? decided : decided.thenApplyAsync(d -> d, s.scheduler()))
        .thenAccept(refusal -> refusal.ifPresentOrElse(this::refuse, this::submitSafely))
        .exceptionally(this::crash);
  }

  /** Ends the job before it spent anything (over its ceiling or its tenant's budget). */
  private void refuse(JobError error) {
    JobLog.info(log, job, "job refused before spending: code={} ({})", error.code(), error.message());
    finish(s.events().failed(job, Routing.NONE, null, error));
  }

  /** Budget settlement and callback delivery follow a durable ending; they never change it. */
  private void afterEnd(StatusEvent terminal) {
    try {
      s.limits().settle(job, terminal);
      s.afterEnd().onTerminal(job, terminal);
    } catch (RuntimeException e) {
      log.warn("job {}: work after its end failed", job.jobId(), e);
    }
  }

  // ---- submit ---------------------------------------------------------------------------------

  /** Submits on the first route of the plan that takes the job; waits while spending is stopped. */
  private void submit() {
    if (!s.spending().isOpen() && !s.spending().tryAcquireProbe()) {
      waitToSubmit("spending stopped: " + s.spending().stoppedReason().orElse("?"));
      return;
    }
    tryRoute(0, null);
  }

  private void tryRoute(int index, String reason) {
    if (index >= plan.size()) {
      waitToSubmit(reason);
      return;
    }
    RouteGuard guard = plan.get(index);
    if (!guard.isAvailable()) {
      tryRoute(index + 1, because(reason, guard.model() + ": breaker open"));
      return;
    }
    CreateTaskRequest request = new CreateTaskRequest(guard.model(), job.prompt(), job.size(), job.quality(), job.n(),
        job.referenceImageUrls());
    createSettled = new CompletableFuture<>();
    guard.call(() -> recordIntent().thenCompose(recorded -> cancelled ? handedOver() : create(guard, request)))
        .thenAccept(outcome -> {
          if (outcome instanceof Success<UpstreamTask> accepted) {
            s.spending().resume();
            onSubmitted(guard, accepted.value(), reason); // recorded even when handed over meanwhile
            return;
          }
          settle();
          if (cancelled) {
            return; // handed over: the next owner starts from the recorded state
          }
          Failure<UpstreamTask> failure = (Failure<UpstreamTask>) outcome;
          if (failure.kind().worthAnotherRoute()) {
            JobLog.info(log, job, "route {} cannot take the job now ({})", guard.model(), failure.code());
            tryRoute(index + 1, because(reason, guard.model() + ": " + failure.code()));
          } else if (failure.kind() == FailureKind.STOP_SPENDING) {
            s.spending().stopSpending("route " + guard.model() + " answered " + failure.code()
                + (failure.httpStatus() > 0 ? " (HTTP " + failure.httpStatus() + ")" : ""));
            waitToSubmit("spending stopped: " + failure.code());
          } else {
            fail(new Routing(guard.model(), reason), failure);
          }
        })
        .exceptionally(this::crash);
  }

  /**
   * No route can take the job now (every breaker open, retries spent, or spending stopped): wait and
   * try the plan again, with growing pauses, for up to {@code outage.route-wait}. The job holds no
   * thread while it waits; it fails with {@code upstream_unavailable} only after the whole wait.
   */
  private void waitToSubmit(String reason) {
    Instant now = s.clock().instant();
    if (waitingSince == null) {
      waitingSince = now;
      JobLog.warn(log, job, "no route can take the job now ({}); waiting up to {}", reason, s.config().outage().routeWait());
    }
    if (Duration.between(waitingSince, now).compareTo(s.config().outage().routeWait()) >= 0) {
      fail(new Routing(job.route(), reason), JobFailures.noRouteWithin(s.config().outage().routeWait(), reason));
      return;
    }
    recordWaiting();
    long delay = ROUTE_WAIT.delayMillis(++waits, null);
    s.scheduler().schedule(this::submitSafely, delay, TimeUnit.MILLISECONDS);
  }

  // ---- the intent to create a task (crash safety without an idempotency key upstream) ---------

  /**
   * Before a task creation, records SUBMITTING (with the unconfirmed count so far) and waits for the
   * acknowledgement, unless that very state is already recorded. A worker that dies mid-creation so
   * leaves a trace: its successor knows the upstream may hold a paid task, instead of silently paying
   * again. Costs one state write per job in the common case.
   */
  private CompletableFuture<Void> recordIntent() {
    int count = unconfirmed.get();
    if (intentRecorded == count) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> recorded = new CompletableFuture<>();
    writeUntilAcknowledged(JobState.submitting(JobIdentity.of(job), job.attempt(), count, s.clock().instant(),
        s.config().workerId()), recorded);
    return recorded.thenRun(() -> intentRecorded = count);
  }

  /** Waiting between creations: nothing is outstanding, so a successor need not count one (best effort). */
  private void recordWaiting() {
    if (intentRecorded >= 0) {
      intentRecorded = -1;
      JobState waiting = JobState.waiting(JobIdentity.of(job), job.attempt(), unconfirmed.get(), s.clock().instant(),
          s.config().workerId());
      s.states().write(partition, waiting).whenComplete((ok, error) -> {
        if (error == null) {
          lastRecorded = waiting;
        } else {
          JobLog.warn(log, job, "could not record that the job is waiting ({})", error.toString());
        }
      });
    }
  }

  /** One creation; an answer that never arrived is counted, and under the {@code fail} policy ends the job. */
  private CompletableFuture<UpstreamOutcome<UpstreamTask>> create(RouteGuard guard, CreateTaskRequest request) {
    return budgeted(() -> s.upstream().create(request)).thenApply(outcome -> {
      if (outcome instanceof Failure<UpstreamTask> failure && OutcomeClassifier.answerLost(failure)) {
        unconfirmed.incrementAndGet();
        JobLog.warn(log, job, "task creation on {} got no answer ({}): the upstream may have accepted it",
            guard.model(), failure.code());
        if (s.config().upstream().onUnconfirmedSubmission() == UnconfirmedSubmission.FAIL) {
          return JobFailures.submissionUnconfirmed();
        }
      }
      return outcome;
    });
  }

  private static CompletableFuture<UpstreamOutcome<UpstreamTask>> handedOver() {
    return CompletableFuture.completedFuture(JobFailures.handedOver());
  }

  private void settle() {
    createSettled.complete(null);
  }

  private void submitSafely() {
    if (cancelled) {
      return;
    }
    try {
      submit();
    } catch (RuntimeException e) {
      crash(e);
    }
  }

  private static String because(String earlier, String now) {
    return earlier == null ? now : earlier + "; " + now;
  }

  /** Counts every upstream call of this attempt against {@code upstream.max-calls-per-job}. */
  private <T> CompletableFuture<UpstreamOutcome<T>> budgeted(java.util.function.Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    if (upstreamCalls.incrementAndGet() > s.config().upstream().maxCallsPerJob()) {
      return CompletableFuture.completedFuture(JobFailures.callBudgetSpent(s.config().upstream().maxCallsPerJob()));
    }
    return call.get();
  }

  private void onSubmitted(RouteGuard guard, UpstreamTask task, String reason) {
    route = guard;
    routing = new Routing(guard.model(), guard.model().equals(job.route()) ? null : reason);
    taskId = task.id();
    submittedAt = s.clock().instant();
    estimate = task.estimatedTime();
    recordTask(JobState.submitted(JobIdentity.of(job), job.attempt(), guard.model(), routing.reason(), taskId,
        unconfirmed.get(), submittedAt, s.config().workerId()));
  }

  /**
   * Records the accepted task in the job-state topic before anything else happens to the job: from
   * the acknowledgement on, a crash or hand-over resumes this task instead of paying for another.
   * A write that fails is tried again; the job does not go on without it.
   */
  private void recordTask(JobState state) {
    CompletableFuture<Void> recorded = new CompletableFuture<>();
    writeUntilAcknowledged(state, recorded);
    recorded.thenRun(() -> {
      settle();
      if (!cancelled) {
        afterTaskRecorded();
      }
    }).exceptionally(this::crash);
  }

  /** Writes {@code state}, trying again every second until acknowledged or the job is handed over. */
  private void writeUntilAcknowledged(JobState state, CompletableFuture<Void> recorded) {
    s.states().write(partition, state).whenComplete((ok, error) -> {
      if (error == null) {
        lastRecorded = state;
      }
      if (error == null || cancelled) {
        recorded.complete(null);
        return;
      }
      if (RecordBudget.isRefusedForGood(error)) {
        recorded.completeExceptionally(error); // trying again would hold the job for ever
        return;
      }
      JobLog.warn(log, job, "could not record state {} ({}), trying again", state.phase(), error.toString());
      s.scheduler().schedule(() -> writeUntilAcknowledged(state, recorded), 1, TimeUnit.SECONDS);
    });
  }

  private void afterTaskRecorded() {
    if (routing.reason() != null) {
      JobLog.info(log, job, "job moved from route {} to {} ({})", job.route(), route.model(), routing.reason());
      s.publisher().observer().fallback(job.route(), route.model(), routing.reason());
    }
    JobLog.info(log, job, "job submitted: route={} task={} estimate={}s", route.model(), taskId, estimate.toSeconds());
    s.publisher().publish(s.events().submitted(job, routing, taskId));
    // Timed from the acceptance, not from now: recording the task took a produce round trip already.
    Duration recording = Duration.between(submittedAt, s.clock().instant());
    Duration first = s.pollSchedule().first(estimate).minus(recording);
    schedulePoll(first.isNegative() ? Duration.ZERO : first);
  }

  // ---- poll -----------------------------------------------------------------------------------

  private void schedulePoll(Duration delay) {
    // In nanoseconds: a delay cut to whole milliseconds put the first poll up to 1 ms before the
    // estimate, which a task planned to end exactly there had not yet reached; its job then waited a
    // whole backoff (a second or more) for the next poll (seen: 2 of 4,000 jobs in a default bench run).
    s.scheduler().schedule(this::poll, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void poll() {
    if (cancelled) {
      return;
    }
    route.call(() -> budgeted(() -> s.upstream().query(taskId)))
        .thenAccept(outcome -> {
          if (outcome instanceof Success<UpstreamTask> polled) {
            onPolled(polled.value());
          } else {
            onPollFailed((Failure<UpstreamTask>) outcome);
          }
        })
        .exceptionally(this::crash);
  }

  private void onPolled(UpstreamTask task) {
    switch (task.state()) {
      case COMPLETED -> collect(task);
      case FAILED -> {
        Failure<Void> failure = OutcomeClassifier.fromTaskError(task.errorCode(), task.errorMessage());
        if (failure.kind() == FailureKind.STOP_SPENDING) {
          // Refused for money: the job is not at fault. Stop spending and submit again once it resumes.
          s.spending().stopSpending("task " + taskId + " failed with " + failure.code());
          waitToSubmit("spending stopped: " + failure.code());
        } else {
          fail(routing, failure);
        }
      }
      default -> {
        maybePublishRunning(task.progress());
        pollAgainOrGiveUp();
      }
    }
  }

  /** The task is paid for: transient trouble while polling never fails the job before the task timeout. */
  private void onPollFailed(Failure<UpstreamTask> failure) {
    if (failure.kind() == FailureKind.STOP_SPENDING) {
      s.spending().stopSpending("polling on route " + route.model() + " answered " + failure.code());
    }
    if (failure.kind() != FailureKind.REJECTED) {
      JobLog.info(log, job, "polling task {} failed ({}), will poll again", taskId, failure.code());
      pollAgainOrGiveUp();
    } else {
      fail(routing, failure);
    }
  }

  private void pollAgainOrGiveUp() {
    Duration elapsed = Duration.between(submittedAt, s.clock().instant());
    if (elapsed.compareTo(s.config().polling().taskTimeout()) >= 0) {
      fail(routing, JobFailures.generationTimeout(taskId, s.config().polling().taskTimeout()));
      return;
    }
    if (elapsed.compareTo(estimate) >= 0) {
      pollsOverdue++;
    }
    schedulePoll(s.pollSchedule().next(elapsed, estimate, pollsOverdue));
  }

  private void maybePublishRunning(int progress) {
    Instant now = s.clock().instant();
    boolean due = Duration.between(lastRunningEventAt, now).compareTo(s.config().polling().runningEventEvery()) >= 0;
    if (progress != lastProgress && (lastProgress < 0 || due)) {
      lastProgress = progress;
      lastRunningEventAt = now;
      s.publisher().publish(s.events().running(job, routing, taskId, progress));
    }
  }

  // ---- collect --------------------------------------------------------------------------------

  private void collect(UpstreamTask task) {
    // The task is paid for either way; an unusable answer ends the job like a failed download: FAILED,
    // and its reservation released by the ordinary settlement after the end.
    UpstreamOutcome<List<URI>> checked = ResultCheck.check(task, job.n());
    if (checked instanceof Failure<List<URI>> unusable) {
      fail(routing, unusable);
      return;
    }
    List<URI> links = ((Success<List<URI>>) checked).value();
    List<CompletableFuture<StoredImage>> images = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      images.add(saveImage(i, links.get(i)));
    }
    CompletableFuture.allOf(images.toArray(CompletableFuture[]::new))
        .thenAccept(all -> succeed(task, images.stream().map(CompletableFuture::join).toList()))
        .exceptionally(error -> {
          Throwable cause = error.getCause() != null ? error.getCause() : error;
          if (cause instanceof ImageFailure failure) {
            fail(routing, failure.failure);
          } else {
            crash(cause);
          }
          return null;
        });
  }

  /**
   * Downloads and verifies one image, then stores it. The route's retry is the one retry layer: it
   * fetches the image again after a transient download failure and after bytes that fail verification.
   */
  private CompletableFuture<StoredImage> saveImage(int index, URI link) {
    return route.retryOnly(() -> budgeted(() -> downloadVerified(index, link))).thenCompose(outcome -> {
      if (outcome instanceof Failure<Verified> failure) {
        throw new ImageFailure(failure);
      }
      Verified image = ((Success<Verified>) outcome).value();
      byte[] bytes = image.bytes();
      ImageFacts facts = image.facts();
      ImageKey key = new ImageKey(job.tenant(), job.jobId(), job.attempt(), index, facts.extension());
      return s.store().put(key, bytes).handle((location, error) -> {
        if (error != null) {
          throw new ImageFailure(JobFailures.storageFailed(index));
        }
        return new StoredImage(index, location, link.toString(), facts.bytes(), facts.contentType(),
            facts.width(), facts.height(), facts.sha256());
      });
    });
  }

  /** One download whose bytes are checked: an image other than the one asked for fails like a download. */
  private CompletableFuture<UpstreamOutcome<Verified>> downloadVerified(int index, URI link) {
    return s.upstream().download(link).thenApply(outcome -> {
      if (outcome instanceof Failure<Download> failure) {
        return JobFailures.downloadFailed(index, failure);
      }
      byte[] bytes = ((Success<Download>) outcome).value().body();
      try {
        ImageFacts facts = ImageInspector.inspect(bytes);
        ImageSize size = job.imageSize().orElseThrow();
        ImageInspector.verify(facts, size.width(), size.height());
        return UpstreamOutcome.success(new Verified(bytes, facts));
      } catch (UnusableImageException e) {
        JobLog.warn(log, job, "image {} failed verification ({})", index, e.getMessage());
        return JobFailures.unusableImage(index, e.getMessage());
      }
    });
  }

  /** Downloaded bytes that passed verification, with what the check read from them. */
  private record Verified(byte[] bytes, ImageFacts facts) {}

  private void succeed(UpstreamTask task, List<StoredImage> images) {
    TokenUsage usage = task.usage() == null ? TokenUsage.NONE : task.usage();
    BigDecimal cost = CostCalculator.cost(usage, s.config().route(route.model()).orElseThrow().prices());
    JobLog.info(log, job, "job succeeded: {} image(s) stored, {} tokens, ${}", images.size(), usage.totalTokens(), cost);
    finish(s.events().succeeded(job, routing, taskId, images, usage, cost));
  }

  // ---- endings --------------------------------------------------------------------------------

  private void fail(Routing where, Failure<?> failure) {
    JobLog.info(log, job, "job failed: code={} route={} ({})", failure.code(), where.route(), failure.message());
    finish(s.events().failed(job, where, taskId, JobFailures.toError(failure)));
  }

  /**
   * Ends the run with its terminal event. The intake publishes it in a transaction together with the
   * job's ENDED state and offset; budget settlement and the callback follow once that is committed.
   */
  private void finish(StatusEvent event) {
    StatusEvent terminal = event.withUpstreamCalls(upstreamCalls.get(), unconfirmed.get());
    settle();
    done.complete(new JobEnding(terminal, () -> afterEnd(terminal)));
  }

  private Void crash(Throwable error) {
    log.error("job {} hit a bug in the worker", job.jobId(), error);
    settle();
    done.completeExceptionally(error);
    return null;
  }

  /** Carries a classified image failure out of a future chain. */
  private static final class ImageFailure extends RuntimeException {
    private final transient Failure<?> failure;

    ImageFailure(Failure<?> failure) {
      super(failure.message(), null, false, false);
      this.failure = failure;
    }
  }
}
