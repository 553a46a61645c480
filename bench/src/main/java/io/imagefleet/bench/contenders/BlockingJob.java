package io.imagefleet.bench.contenders;

import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.job.CostCalculator;
import io.imagefleet.worker.job.PollSchedule;
import io.imagefleet.worker.storage.ImageFacts;
import io.imagefleet.worker.storage.ImageInspector;
import io.imagefleet.worker.storage.ImageKey;
import io.imagefleet.worker.storage.UnusableImageException;
import io.imagefleet.worker.upstream.CreateTaskRequest;
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
import java.util.concurrent.ExecutionException;

/**
 * One job the way a team writes it when a framework gives it a thread per record: validate, {@code
 * ACCEPTED}, submit, {@code SUBMITTED}, sleep until the estimate, poll until done, download and
 * verify each image, store it, then the terminal event, waiting for Kafka's acknowledgement before
 * returning (the framework commits the record after that). The same events, the same upstream
 * client and the same store as the worker; what differs is that a thread is held for the whole job.
 *
 * <p>Kept simple on purpose, like the alternatives it stands for: no breaker, no retries of a
 * failed create (the benchmark injects no faults).
 */
final class BlockingJob {
  private final JobKit kit;
  private final PollSchedule delays;

  BlockingJob(JobKit kit) {
    this.kit = kit;
    this.delays = PollSchedule.of(kit.config().polling());
  }

  /** Runs the job in the record; returns once its terminal event is acknowledged. */
  void run(byte[] record) throws InterruptedException {
    JobRequest job = JobCodec.decode(record);
    List<FieldError> errors = kit.validator().validate(job);
    if (!errors.isEmpty()) {
      finish(kit.events().failed(job, Routing.NONE, null, JobError.invalid(errors)));
      return;
    }
    Routing routing = new Routing(job.route(), null);
    kit.publisher().publish(kit.events().accepted(job, routing), null);
    UpstreamOutcome<UpstreamTask> created =
        kit.upstream()
            .create(
                new CreateTaskRequest(
                    job.route(),
                    job.prompt(),
                    job.size(),
                    job.quality(),
                    job.n(),
                    job.referenceImageUrls()))
            .join();
    if (created instanceof Failure<UpstreamTask> failure) {
      fail(job, routing, null, failure.code(), failure.message());
      return;
    }
    UpstreamTask task = ((Success<UpstreamTask>) created).value();
    kit.publisher().publish(kit.events().submitted(job, routing, task.id()), null);
    awaitAndCollect(job, routing, task);
  }

  private void awaitAndCollect(JobRequest job, Routing routing, UpstreamTask submitted)
      throws InterruptedException {
    Instant submittedAt = kit.clock().instant();
    Duration estimate = submitted.estimatedTime();
    Thread.sleep(delays.first(estimate).toMillis());
    int overdue = 0;
    while (true) {
      UpstreamOutcome<UpstreamTask> polled = kit.upstream().query(submitted.id()).join();
      if (polled instanceof Success<UpstreamTask> ok) {
        UpstreamTask task = ok.value();
        switch (task.state()) {
          case COMPLETED -> {
            collect(job, routing, task);
            return;
          }
          case FAILED -> {
            fail(job, routing, task.id(), task.errorCode(), task.errorMessage());
            return;
          }
          default -> {
            // still running: poll again below
          }
        }
      } else if (!((Failure<UpstreamTask>) polled).isTransient()) {
        Failure<UpstreamTask> failure = (Failure<UpstreamTask>) polled;
        fail(job, routing, submitted.id(), failure.code(), failure.message());
        return;
      }
      Duration elapsed = Duration.between(submittedAt, kit.clock().instant());
      if (elapsed.compareTo(kit.config().polling().taskTimeout()) >= 0) {
        fail(job, routing, submitted.id(), "generation_timeout", "task did not finish in time");
        return;
      }
      if (elapsed.compareTo(estimate) >= 0) {
        overdue++;
      }
      Thread.sleep(delays.next(elapsed, estimate, overdue).toMillis());
    }
  }

  private void collect(JobRequest job, Routing routing, UpstreamTask task)
      throws InterruptedException {
    List<StoredImage> images = new ArrayList<>();
    ImageSize size = job.imageSize().orElseThrow();
    for (int i = 0; i < task.results().size(); i++) {
      URI link = URI.create(task.results().get(i));
      UpstreamOutcome<Download> downloaded = kit.upstream().download(link).join();
      if (downloaded instanceof Failure<Download> failure) {
        fail(job, routing, task.id(), "image_download_failed", failure.message());
        return;
      }
      byte[] bytes = ((Success<Download>) downloaded).value().body();
      ImageFacts facts;
      try {
        facts = ImageInspector.inspect(bytes);
        ImageInspector.verify(facts, size.width(), size.height());
      } catch (UnusableImageException e) {
        fail(job, routing, task.id(), "image_download_failed", e.getMessage());
        return;
      }
      String location =
          kit.store()
              .put(
                  new ImageKey(job.tenant(), job.jobId(), job.attempt(), i, facts.extension()),
                  bytes)
              .join();
      images.add(
          new StoredImage(
              i,
              location,
              link.toString(),
              facts.bytes(),
              facts.contentType(),
              facts.width(),
              facts.height(),
              facts.sha256()));
    }
    TokenUsage usage = task.usage() == null ? TokenUsage.NONE : task.usage();
    BigDecimal cost =
        kit.config()
            .route(routing.route())
            .map(r -> CostCalculator.cost(usage, job.n(), r.prices()))
            .orElse(BigDecimal.ZERO);
    finish(kit.events().succeeded(job, routing, task.id(), images, usage, cost));
  }

  private void fail(JobRequest job, Routing routing, String taskId, String code, String message)
      throws InterruptedException {
    finish(kit.events().failed(job, routing, taskId, JobError.of(code, message, false)));
  }

  private void finish(StatusEvent terminal) throws InterruptedException {
    try {
      kit.publisher().publish(terminal, null).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "terminal event of " + terminal.jobId() + " not acknowledged", e.getCause());
    }
  }
}
