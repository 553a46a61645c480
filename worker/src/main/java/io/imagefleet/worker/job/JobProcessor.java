package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.intake.JobHandler;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.storage.ImageStore;
import io.imagefleet.worker.upstream.UpstreamClient;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs job attempts. {@link #process} returns at once; the future completes when the attempt's
 * terminal event is acknowledged by Kafka, and completes exceptionally only on a bug in the worker
 * (the caller dead-letters the record then).
 */
public final class JobProcessor implements JobHandler {
  private final JobServices services;

  public JobProcessor(WorkerConfig config, UpstreamClient upstream, RouteTable routes, ImageStore store,
      EventPublisher publisher, ScheduledExecutorService scheduler, Clock clock) {
    this.services = new JobServices(config, new JobValidator(), upstream, routes, store, publisher,
        new StatusEvents(config.workerId(), clock), scheduler,
        new PollSchedule(config.polling(), () -> ThreadLocalRandom.current().nextDouble()), clock);
  }

  @Override
  public CompletableFuture<Void> process(JobRequest job) {
    return new JobRun(job, services).start();
  }
}
