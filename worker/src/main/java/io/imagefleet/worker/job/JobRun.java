package io.imagefleet.worker.job;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.Cancellation;
import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.ValidationCode;
import io.imagefleet.worker.config.UpstreamSettings.UnconfirmedSubmission;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.intake.JobEnding;
import io.imagefleet.worker.intake.JobHandler;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.tracing.JobTrace;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * One attempt of one job, from validation to its terminal event: {@code validate -> ACCEPTED ->
 * submit (route plan) -> SUBMITTED -> poll (RUNNING*) -> download, verify, store -> SUCCEEDED |
 * FAILED}.
 *
 * <p>This class admits the job (validation, cost ceiling, budget) and wires the steps of its life:
 * {@link Submission}, which hands the accepted task to {@link Polling}, which has the images
 * collected by {@link ImageCollection}; every step ends the job through its one {@link Ending}, and
 * records states through the {@link StateRecorder}. Steps run as callbacks on the HTTP, storage and
 * scheduler threads; each starts only after the previous one ended, so no step's fields are touched
 * by two threads at once (the hand-over through {@link CompletableFuture} publishes them safely).
 * Nothing here blocks a thread.
 *
 * <p>Cancel requests: from acceptance to its end the run watches for cancels that cover it ({@link
 * CancelRequests}); one that arrives before the first task creation has begun ends the job at once,
 * FAILED {@code cancelled}, and nothing is created (the {@link Attempt}'s creation gate decides
 * races with a creation under way). Before that first creation the run waits until every cancel
 * written before it was read has been applied. A task already paid for is finished and stored: the
 * gateway has no cancel call, so stopping would save nothing and lose what was paid for.
 */
final class JobRun implements JobHandler.RunningJob {
  private static final Logger log = JobLog.RUN;

  private final JobRequest job;
  private final JobServices s;
  private final Attempt attempt;
  private final Ending ending;
  private final StateRecorder recorder;
  private final Submission submission;
  private final Polling polling;

  /** The job record's timestamp: what a cancel of every queued job compares. */
  private final Instant publishedAt;

  /** When this worker read the job: cancels written before it are applied before it is created. */
  private final Instant readAt;

  private volatile CancelRequests.Watch cancelWatch = () -> {};

  JobRun(JobRequest job, int partition, Instant publishedAt, JobServices services, JobTrace trace) {
    this.job = job;
    this.s = services;
    this.publishedAt = publishedAt;
    this.readAt = services.clock().instant();
    this.attempt =
        new Attempt(job, partition, services.config().upstream().maxCallsPerJob(), trace);
    this.ending = new Ending(attempt, services);
    this.recorder = new StateRecorder(attempt, services);
    this.submission =
        new Submission(attempt, services, recorder, ending, task -> startPolling(task));
    this.polling =
        new Polling(attempt, services, new ImageCollection(attempt, services), ending, submission);
  }

  CompletableFuture<JobEnding> start() {
    try {
      List<FieldError> errors = new ArrayList<>(s.validator().validate(job));
      boolean routeChecked = errors.stream().anyMatch(e -> e.field().equals("route"));
      Optional<RouteGuard> route = s.routes().guard(job.route());
      if (!routeChecked && route.isEmpty()) {
        errors.add(
            new FieldError(
                "route",
                ValidationCode.UNSUPPORTED_VALUE.wire(),
                "route is not configured on this fleet; configured: "
                    + s.routes().all().stream().map(RouteGuard::model).toList()));
      }
      if (route.isPresent()) {
        Set<String> broken = errors.stream().map(FieldError::field).collect(Collectors.toSet());
        s.fit().violations(job, route.get().settings()).stream()
            .filter(e -> !broken.contains(e.field()))
            .forEach(errors::add);
      }
      if (!errors.isEmpty()) {
        JobLog.info(log, attempt, "job invalid: {}", errors);
        ending.fail(JobError.invalid(errors));
        return ending.future();
      }
      Optional<JobError> overCeiling = s.limits().overCeiling(job);
      if (overCeiling.isPresent()) {
        ending.refuse(overCeiling.get());
        return ending.future();
      }
      watchCancels();
      if (attempt.isCancelled()) {
        return ending.future(); // a cancel already known covers it: ended before ACCEPTED
      }
      JobLog.info(
          log,
          attempt,
          "job accepted: route={} size={} quality={} n={}",
          job.route(),
          job.size(),
          job.quality(),
          job.n());
      s.publisher()
          .publish(
              s.events().accepted(job, new Routing(job.route(), null)),
              attempt.trace().traceparent());
      List<RouteGuard> plan =
          s.routes()
              .plan(
                  job.route(),
                  job.allowFallback(),
                  r -> s.limits().estimator().estimate(job, r.model()).orElse(BigDecimal.ZERO),
                  r -> s.fit().fits(job, r),
                  r -> s.limits().withinCeiling(job, r));
      reserveThenSubmit(plan);
    } catch (RuntimeException e) {
      ending.crash(e);
    }
    return ending.future();
  }

  /**
   * Takes over a job whose task the upstream already accepted (state restored from the job-state
   * topic after a crash, a rebalance or a replay): polls that task instead of paying for another.
   */
  void resume(JobState state) {
    try {
      attempt.restoreUnconfirmed(state.unconfirmed());
      attempt.taskAccepted();
      watchCancels();
      RouteGuard route = s.routes().guard(state.route()).orElseGet(() -> s.routes().all().get(0));
      AcceptedTask task =
          new AcceptedTask(
              route,
              new Routing(state.route(), state.routeReason()),
              state.taskId(),
              s.clock().instant(),
              Duration.ZERO);
      JobLog.info(
          log,
          attempt,
          "job resumed: task {} on route {} was accepted before (by {})",
          task.id(),
          state.route(),
          state.workerId());
      attempt.trace().admitted();
      polling.resume(task);
    } catch (RuntimeException e) {
      ending.crash(e);
    }
  }

  /**
   * Takes over a job whose previous owner stopped before the upstream accepted a task. When that
   * owner may have had a creation outstanding (its SUBMITTING state), the upstream may hold a paid
   * task this fleet cannot find: the job either submits again, counting one unconfirmed submission,
   * or fails with {@code submission_unconfirmed}, as {@code upstream.unconfirmed-submission} says.
   */
  CompletableFuture<JobEnding> restart(JobState state) {
    attempt.restoreUnconfirmed(state.unconfirmed() + (state.isInDoubt() ? 1 : 0));
    if (state.isInDoubt()) {
      JobLog.warn(
          log,
          attempt,
          "the previous owner ({}) stopped while creating a task: the upstream may have accepted it",
          state.workerId());
      if (s.config().upstream().onUnconfirmedSubmission() == UnconfirmedSubmission.FAIL) {
        ending.fail(JobFailures.unconfirmedError());
        return ending.future();
      }
    }
    return start();
  }

  @Override
  public CompletableFuture<JobEnding> ending() {
    return ending.future();
  }

  @Override
  public CompletableFuture<Void> stopCreating() {
    return attempt.stopCreating();
  }

  @Override
  public JobState lastRecordedState() {
    return recorder.lastRecorded();
  }

  /**
   * Stops polling and every later step; the partition's next owner resumes the job from its state.
   */
  @Override
  public void cancel() {
    attempt.cancel();
    cancelWatch.close();
  }

  /** Watches for cancel requests until the job ends; one already known is applied at once. */
  private void watchCancels() {
    CancelRequests.Watch watch = s.cancels().watch(job, publishedAt, this::cancelRequested);
    cancelWatch = watch;
    ending.future().whenComplete((done, error) -> watch.close());
  }

  /** Called on the control thread (or at once): stops the job when no creation has begun. */
  private void cancelRequested(CancelRequest request) {
    Cancellation note = Cancellation.of(request);
    if (attempt.cancelRequested(note)) {
      ending.cancel(note);
    } else {
      JobLog.info(
          log,
          attempt,
          "cancel request {} came after the job's task creation began: the paid task is finished",
          request.requestId());
    }
  }

  /**
   * Once every cancel written before the job was read has been applied, reserves the job's estimate
   * from its tenant's budget; submits only when that is granted.
   */
  private void reserveThenSubmit(List<RouteGuard> plan) {
    CompletableFuture<Void> applied = s.cancels().appliedThrough(readAt);
    // Cancels are applied on the control thread: continue on ours.
    (applied.isDone() ? applied : applied.thenApplyAsync(v -> v, s.scheduler()))
        .thenAccept(
            v -> {
              if (!attempt.isCancelled()) {
                reserve(plan);
              }
            })
        .exceptionally(ending::crash);
  }

  private void reserve(List<RouteGuard> plan) {
    CompletableFuture<Optional<JobError>> decided =
        s.limits().reserve(job, plan.stream().map(RouteGuard::model).toList());
    // A decision read from the budget ledger arrives on the ledger's thread: continue on ours.
    (decided.isDone() ? decided : decided.thenApplyAsync(d -> d, s.scheduler()))
        .thenAccept(
            refusal ->
                refusal.ifPresentOrElse(
                    ending::refuse,
                    () -> {
                      attempt.trace().admitted();
                      submission.start(plan);
                    }))
        .exceptionally(ending::crash);
  }

  private void startPolling(AcceptedTask task) {
    polling.start(task);
  }
}
