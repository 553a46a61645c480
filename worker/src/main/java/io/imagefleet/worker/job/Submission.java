package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.config.UpstreamSettings.UnconfirmedSubmission;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.resilience.Backoff;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.tracing.SpanNames;
import io.imagefleet.worker.upstream.CreateTaskRequest;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.OutcomeClassifier;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import io.imagefleet.worker.upstream.UpstreamTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Gets the job a task: tries the routes of its plan in order, each through its guard (rate limit,
 * breaker, retries); a failure worth another route moves on to the next, a request's own fault
 * fails the job, a money failure stops spending. While no route can take the job it waits, for up
 * to {@code outage.route-wait}, holding no thread. The accepted task is recorded, announced and
 * handed on.
 */
final class Submission {
  private static final Logger log = JobLog.RUN;

  /**
   * Pauses between looks at the route plan while no route can take the job: 1 s, 2 s, 4 s ... 30 s.
   */
  private static final Backoff ROUTE_WAIT =
      Backoff.withoutJitter(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

  private final Attempt attempt;
  private final JobServices s;
  private final StateRecorder recorder;
  private final Ending ending;
  private final Consumer<AcceptedTask> onAccepted;
  private List<RouteGuard> plan = List.of();
  private Instant waitingSince;
  private int waits;

  /** The last task the upstream accepted for this attempt, reported if the job then fails here. */
  private String taskId;

  Submission(
      Attempt attempt,
      JobServices services,
      StateRecorder recorder,
      Ending ending,
      Consumer<AcceptedTask> onAccepted) {
    this.attempt = attempt;
    this.s = services;
    this.recorder = recorder;
    this.ending = ending;
    this.onAccepted = onAccepted;
  }

  /** Submits on the first route of {@code routes} that takes the job. */
  void start(List<RouteGuard> routes) {
    plan = List.copyOf(routes);
    submitSafely();
  }

  /**
   * Task {@code failedTaskId} was refused for money: wait until spending resumes, then submit
   * again.
   */
  void submitAgain(String failedTaskId, String reason) {
    taskId = failedTaskId;
    waitToSubmit(reason);
  }

  private void submitSafely() {
    if (attempt.isCancelled()) {
      return;
    }
    try {
      if (!s.spending().isOpen() && !s.spending().tryAcquireProbe()) {
        waitToSubmit("spending stopped: " + s.spending().stoppedReason().orElse("?"));
        return;
      }
      tryRoute(0, null);
    } catch (RuntimeException e) {
      ending.crash(e);
    }
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
    JobRequest job = attempt.job();
    CreateTaskRequest request =
        new CreateTaskRequest(
            guard.model(),
            job.prompt(),
            job.size(),
            job.quality(),
            job.n(),
            job.referenceImageUrls());
    attempt.creationStarted();
    guard
        .call(
            () ->
                attempt.tryBeginCreation()
                    ? recorder
                        .recordIntent()
                        .thenCompose(
                            recorded ->
                                attempt.isCancelled() ? handedOver() : create(guard, request))
                        .thenApply(this::settleGate)
                    : stopped(),
            () -> !attempt.isCancelled())
        .thenAccept(
            outcome -> {
              if (outcome instanceof Success<UpstreamTask> accepted) {
                s.spending().resume();
                onSubmitted(
                    guard, accepted.value(), reason); // recorded even when handed over meanwhile
                return;
              }
              attempt.creationSettled();
              if (attempt.isCancelled()) {
                return; // handed over: the next owner starts from the recorded state
              }
              Failure<UpstreamTask> failure = (Failure<UpstreamTask>) outcome;
              if (failure.kind().worthAnotherRoute()) {
                JobLog.info(
                    log,
                    attempt,
                    "route {} cannot take the job now ({})",
                    guard.model(),
                    failure.code());
                failure.fallbackSuggestion().ifPresent(model -> preferNext(index, model));
                tryRoute(index + 1, because(reason, guard.model() + ": " + failure.code()));
              } else if (failure.kind() == FailureKind.STOP_SPENDING) {
                s.spending()
                    .stopSpending(
                        "route "
                            + guard.model()
                            + " answered "
                            + failure.code()
                            + (failure.httpStatus() > 0
                                ? " (HTTP " + failure.httpStatus() + ")"
                                : "")
                            + failure
                                .fallbackSuggestion()
                                .map(hint -> "; the gateway suggests: " + hint)
                                .orElse(""));
                waitToSubmit("spending stopped: " + failure.code());
              } else {
                ending.fail(new Routing(guard.model(), reason), taskId, failure);
              }
            })
        .exceptionally(ending::crash);
  }

  /**
   * The gateway suggested another model for this job: when it is one of the routes left in the
   * job's plan (so the job may fall back to it and afford it), it is tried next.
   */
  private void preferNext(int index, String model) {
    for (int i = index + 2; i < plan.size(); i++) {
      if (plan.get(i).model().equals(model)) {
        List<RouteGuard> reordered = new ArrayList<>(plan);
        reordered.add(index + 1, reordered.remove(i));
        plan = List.copyOf(reordered);
        return;
      }
    }
  }

  /**
   * No route can take the job now (every breaker open, retries spent, or spending stopped): wait
   * and try the plan again, with growing pauses, for up to {@code outage.route-wait}. The job holds
   * no thread while it waits; it fails with {@code upstream_unavailable} only after the whole wait.
   */
  private void waitToSubmit(String reason) {
    Instant now = s.clock().instant();
    Duration routeWait = s.config().outage().routeWait();
    if (waitingSince == null) {
      waitingSince = now;
      JobLog.warn(
          log, attempt, "no route can take the job now ({}); waiting up to {}", reason, routeWait);
    }
    if (Duration.between(waitingSince, now).compareTo(routeWait) >= 0) {
      ending.fail(
          new Routing(attempt.job().route(), reason),
          taskId,
          JobFailures.noRouteWithin(routeWait, reason));
      return;
    }
    attempt.unlessStopped(recorder::recordWaiting);
    s.scheduler()
        .schedule(this::submitSafely, ROUTE_WAIT.delayMillis(++waits, null), TimeUnit.MILLISECONDS);
  }

  /**
   * One creation; an answer that never arrived is counted, and under the {@code fail} policy ends
   * the job.
   */
  private CompletableFuture<UpstreamOutcome<UpstreamTask>> create(
      RouteGuard guard, CreateTaskRequest request) {
    return attempt
        .budgeted(
            () ->
                Traced.call(
                    attempt.trace().step(SpanNames.UPSTREAM_CREATE, guard.model()),
                    () -> s.upstream().create(request)))
        .thenApply(
            outcome -> {
              if (outcome instanceof Failure<UpstreamTask> failure
                  && OutcomeClassifier.answerLost(failure)) {
                attempt.countUnconfirmed();
                JobLog.warn(
                    log,
                    attempt,
                    "task creation on {} got no answer ({}): the upstream may have accepted it",
                    guard.model(),
                    failure.code());
                if (s.config().upstream().onUnconfirmedSubmission() == UnconfirmedSubmission.FAIL) {
                  return JobFailures.submissionUnconfirmed();
                }
              }
              return outcome;
            });
  }

  /** A creation answered without a task opens the cancel gate again; one with a task closes it. */
  private UpstreamOutcome<UpstreamTask> settleGate(UpstreamOutcome<UpstreamTask> outcome) {
    if (outcome instanceof Success<UpstreamTask>) {
      attempt.taskAccepted();
    } else {
      attempt.creationRefused();
    }
    return outcome;
  }

  private static CompletableFuture<UpstreamOutcome<UpstreamTask>> stopped() {
    return CompletableFuture.completedFuture(JobFailures.stoppedBeforeCreation());
  }

  private static CompletableFuture<UpstreamOutcome<UpstreamTask>> handedOver() {
    return CompletableFuture.completedFuture(JobFailures.handedOver());
  }

  /**
   * Records the accepted task, then (unless handed over meanwhile) announces it and hands it on.
   */
  private void onSubmitted(RouteGuard guard, UpstreamTask accepted, String reason) {
    JobRequest job = attempt.job();
    Routing routing = new Routing(guard.model(), guard.model().equals(job.route()) ? null : reason);
    AcceptedTask task =
        new AcceptedTask(
            guard, routing, accepted.id(), s.clock().instant(), accepted.estimatedTime());
    taskId = task.id();
    recorder
        .recordTask(
            JobState.submitted(
                JobIdentity.of(job),
                job.attempt(),
                guard.model(),
                routing.reason(),
                task.id(),
                attempt.unconfirmed(),
                task.acceptedAt(),
                s.config().workerId()))
        .thenRun(
            () -> {
              attempt.creationSettled();
              if (!attempt.isCancelled()) {
                announce(task);
              }
            })
        .exceptionally(ending::crash);
  }

  private void announce(AcceptedTask task) {
    JobRequest job = attempt.job();
    if (task.routing().reason() != null) {
      JobLog.info(
          log,
          attempt,
          "job moved from route {} to {} ({})",
          job.route(),
          task.route().model(),
          task.routing().reason());
      s.publisher().observer().fallback(job.route(), task.route().model(), task.routing().reason());
    }
    JobLog.info(
        log,
        attempt,
        "job submitted: route={} task={} estimate={}s",
        task.route().model(),
        task.id(),
        task.estimate().toSeconds());
    s.publisher()
        .publish(
            s.events().submitted(job, task.routing(), task.id()), attempt.trace().traceparent());
    onAccepted.accept(task);
  }

  private static String because(String earlier, String now) {
    return earlier == null ? now : earlier + "; " + now;
  }
}
