package io.imagefleet.worker.job;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.contracts.ValidationCode;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.storage.ImageFacts;
import io.imagefleet.worker.storage.ImageInspector;
import io.imagefleet.worker.storage.ImageKey;
import io.imagefleet.worker.storage.UnusableImageException;
import io.imagefleet.worker.upstream.CreateTaskRequest;
import io.imagefleet.worker.upstream.FailureKind;
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
final class JobRun {
  private static final Logger log = LoggerFactory.getLogger(JobRun.class);
  /** Downloads whose bytes fail verification are fetched again this many times in total. */
  private static final int DOWNLOAD_ATTEMPTS = 3;
  private static final Duration REPUBLISH_DELAY = Duration.ofSeconds(1);

  private final JobRequest job;
  private final JobServices s;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private RouteGuard route;
  private String taskId;
  private Instant submittedAt;
  private Duration estimate = Duration.ZERO;
  private int pollsOverdue;
  private int lastProgress = -1;
  private Instant lastRunningEventAt = Instant.MIN;

  JobRun(JobRequest job, JobServices services) {
    this.job = job;
    this.s = services;
  }

  CompletableFuture<Void> start() {
    try {
      List<FieldError> errors = new ArrayList<>(s.validator().validate(job));
      boolean routeChecked = errors.stream().anyMatch(e -> e.field().equals("route"));
      if (!routeChecked && s.routes().guard(job.route()).isEmpty()) {
        errors.add(new FieldError("route", ValidationCode.UNSUPPORTED_VALUE.wire(),
            "route '" + job.route() + "' is not configured on this fleet"));
      }
      if (!errors.isEmpty()) {
        JobLog.info(log, job, "job invalid: {}", errors);
        finish(s.events().failed(job, null, null, JobError.invalid(errors)));
        return done;
      }
      JobLog.info(log, job, "job accepted: route={} size={} quality={} n={}", job.route(), job.size(), job.quality(), job.n());
      s.publisher().publish(s.events().accepted(job, job.route()));
      submit(s.routes().plan(job.route(), job.allowFallback()), 0);
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  // ---- submit ---------------------------------------------------------------------------------

  private void submit(List<RouteGuard> plan, int index) {
    RouteGuard guard = plan.get(index);
    CreateTaskRequest request = new CreateTaskRequest(guard.model(), job.prompt(), job.size(), job.quality(), job.n(),
        job.referenceImageUrls());
    guard.call(() -> s.upstream().create(request))
        .thenAccept(outcome -> {
          if (outcome instanceof Success<UpstreamTask> accepted) {
            onSubmitted(guard, accepted.value());
          } else {
            Failure<UpstreamTask> failure = (Failure<UpstreamTask>) outcome;
            if (failure.kind().worthAnotherRoute() && index + 1 < plan.size()) {
              JobLog.warn(log, job, "route {} failed ({}), falling back to {}", guard.model(), failure.code(),
                  plan.get(index + 1).model());
              submit(plan, index + 1);
            } else {
              // Transient trouble that outlasted retries and routes is reported as such; the request's
              // own fault and stop-spending answers keep the upstream's code.
              fail(guard.model(), failure,
                  failure.kind().worthAnotherRoute() ? ErrorCodes.UPSTREAM_UNAVAILABLE : failure.code());
            }
          }
        })
        .exceptionally(this::crash);
  }

  private void onSubmitted(RouteGuard guard, UpstreamTask task) {
    route = guard;
    taskId = task.id();
    submittedAt = s.clock().instant();
    estimate = task.estimatedTime();
    JobLog.info(log, job, "job submitted: route={} task={} estimate={}s", route.model(), taskId, estimate.toSeconds());
    s.publisher().publish(s.events().submitted(job, route.model(), taskId));
    schedulePoll(s.pollSchedule().first(estimate));
  }

  // ---- poll -----------------------------------------------------------------------------------

  private void schedulePoll(Duration delay) {
    s.scheduler().schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    route.call(() -> s.upstream().query(taskId))
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
        Failure<Void> failure = io.imagefleet.worker.upstream.OutcomeClassifier.fromTaskError(task.errorCode(), task.errorMessage());
        fail(route.model(), failure, failure.code());
      }
      default -> {
        maybePublishRunning(task.progress());
        pollAgainOrGiveUp();
      }
    }
  }

  /** The task is paid for: transient trouble while polling never fails the job before the task timeout. */
  private void onPollFailed(Failure<UpstreamTask> failure) {
    if (failure.kind() == FailureKind.TRANSIENT || failure.kind() == FailureKind.ROUTE_UNAVAILABLE) {
      JobLog.warn(log, job, "polling task {} failed ({}), will poll again", taskId, failure.code());
      pollAgainOrGiveUp();
    } else {
      fail(route.model(), failure, failure.code());
    }
  }

  private void pollAgainOrGiveUp() {
    Duration elapsed = Duration.between(submittedAt, s.clock().instant());
    if (elapsed.compareTo(s.config().polling().taskTimeout()) >= 0) {
      fail(route.model(), new Failure<>(FailureKind.TRANSIENT, "generation_timeout",
          "task " + taskId + " did not finish within " + s.config().polling().taskTimeout(), 0, java.util.Optional.empty()),
          "generation_timeout");
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
      s.publisher().publish(s.events().running(job, route.model(), taskId, progress));
    }
  }

  // ---- collect --------------------------------------------------------------------------------

  private void collect(UpstreamTask task) {
    if (task.results().isEmpty()) {
      fail(route.model(), new Failure<>(FailureKind.TRANSIENT, "generation_failed_no_content",
          "task completed without result links", 0, java.util.Optional.empty()), "generation_failed_no_content");
      return;
    }
    List<CompletableFuture<StoredImage>> images = new ArrayList<>();
    for (int i = 0; i < task.results().size(); i++) {
      images.add(saveImage(i, task.results().get(i), DOWNLOAD_ATTEMPTS));
    }
    CompletableFuture.allOf(images.toArray(CompletableFuture[]::new))
        .thenAccept(all -> succeed(task, images.stream().map(CompletableFuture::join).toList()))
        .exceptionally(error -> {
          Throwable cause = error.getCause() != null ? error.getCause() : error;
          if (cause instanceof ImageFailure failure) {
            fail(route.model(), failure.failure, failure.failure.code());
          } else {
            crash(cause);
          }
          return null;
        });
  }

  private CompletableFuture<StoredImage> saveImage(int index, URI link, int attemptsLeft) {
    return route.retryOnly(() -> s.upstream().download(link)).thenCompose(outcome -> {
      if (outcome instanceof Failure<Download> failure) {
        throw new ImageFailure(new Failure<>(failure.kind(), ErrorCodes.IMAGE_DOWNLOAD_FAILED,
            "image " + index + ": " + failure.message(), failure.httpStatus(), java.util.Optional.empty()));
      }
      byte[] bytes = ((Success<Download>) outcome).value().body();
      ImageFacts facts;
      try {
        facts = ImageInspector.inspect(bytes);
        ImageSize size = job.imageSize().orElseThrow();
        ImageInspector.verify(facts, size.width(), size.height());
      } catch (UnusableImageException e) {
        if (attemptsLeft > 1) {
          JobLog.warn(log, job, "image {} failed verification ({}), downloading again", index, e.getMessage());
          return saveImage(index, link, attemptsLeft - 1);
        }
        throw new ImageFailure(new Failure<>(FailureKind.TRANSIENT, ErrorCodes.IMAGE_DOWNLOAD_FAILED,
            "image " + index + ": " + e.getMessage(), 0, java.util.Optional.empty()));
      }
      ImageKey key = new ImageKey(job.tenant(), job.jobId(), job.attempt(), index, facts.extension());
      return s.store().put(key, bytes).handle((location, error) -> {
        if (error != null) {
          throw new ImageFailure(new Failure<>(FailureKind.TRANSIENT, ErrorCodes.STORAGE_FAILED,
              "image " + index + " could not be stored", 0, java.util.Optional.empty()));
        }
        return new StoredImage(index, location, link.toString(), facts.bytes(), facts.contentType(),
            facts.width(), facts.height(), facts.sha256());
      });
    });
  }

  private void succeed(UpstreamTask task, List<StoredImage> images) {
    TokenUsage usage = task.usage() == null ? TokenUsage.NONE : task.usage();
    BigDecimal cost = CostCalculator.cost(usage, s.config().route(route.model()).orElseThrow().prices());
    JobLog.info(log, job, "job succeeded: {} image(s) stored, {} tokens, ${}", images.size(), usage.totalTokens(), cost);
    finish(s.events().succeeded(job, route.model(), taskId, images, usage, cost));
  }

  // ---- endings --------------------------------------------------------------------------------

  private void fail(String routeUsed, Failure<?> failure, String code) {
    boolean retryable = failure.kind() == FailureKind.TRANSIENT || failure.kind() == FailureKind.ROUTE_UNAVAILABLE;
    JobLog.info(log, job, "job failed: code={} route={} ({})", code, routeUsed, failure.message());
    finish(s.events().failed(job, routeUsed, taskId, JobError.of(code, failure.message(), retryable)));
  }

  /**
   * Publishes the terminal event and completes the run once Kafka acknowledged it. A failed send is
   * tried again after a pause rather than given up: the job's offset must not be committed without
   * its terminal event, and dropping the event would lose the job's ending.
   */
  private void finish(StatusEvent terminal) {
    s.publisher().publish(terminal).whenComplete((ok, error) -> {
      if (error == null) {
        done.complete(null);
      } else {
        JobLog.warn(log, job, "terminal event not acknowledged ({}), publishing again", error.toString());
        s.scheduler().schedule(() -> finish(terminal), REPUBLISH_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  private Void crash(Throwable error) {
    log.error("job {} hit a bug in the worker", job.jobId(), error);
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
