package io.imagefleet.worker.events;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/** Builds the status events of one worker: stamps event id, time and worker id. */
public final class StatusEvents {
  private final String workerId;
  private final Clock clock;
  private final BiFunction<JobRequest, String, Optional<BigDecimal>> estimate;

  public StatusEvents(String workerId, Clock clock) {
    this(workerId, clock, (job, route) -> Optional.empty());
  }

  /** With {@code estimate(job, route)}: the estimated cost stamped on every event of a valid job. */
  public StatusEvents(String workerId, Clock clock, BiFunction<JobRequest, String, Optional<BigDecimal>> estimate) {
    this.workerId = workerId;
    this.clock = clock;
    this.estimate = estimate;
  }

  /**
   * The route a job is on and why, when it is not the job's own route.
   *
   * @param route  the route used, or null before one is chosen
   * @param reason why the job left its own route, or null
   */
  public record Routing(String route, String reason) {
    public static final Routing NONE = new Routing(null, null);
  }

  public StatusEvent accepted(JobRequest job, Routing routing) {
    return event(job, JobStatus.ACCEPTED, routing, null, null, List.of(), null, null, null);
  }

  public StatusEvent submitted(JobRequest job, Routing routing, String taskId) {
    return event(job, JobStatus.SUBMITTED, routing, taskId, 0, List.of(), null, null, null);
  }

  public StatusEvent running(JobRequest job, Routing routing, String taskId, int progress) {
    return event(job, JobStatus.RUNNING, routing, taskId, progress, List.of(), null, null, null);
  }

  public StatusEvent succeeded(JobRequest job, Routing routing, String taskId, List<StoredImage> images,
      TokenUsage usage, BigDecimal cost) {
    return event(job, JobStatus.SUCCEEDED, routing, taskId, 100, images, usage, cost, null);
  }

  public StatusEvent failed(JobRequest job, Routing routing, String taskId, JobError error) {
    return event(job, JobStatus.FAILED, routing, taskId, null, List.of(), null, null, error);
  }

  private StatusEvent event(JobRequest job, JobStatus status, Routing routing, String taskId, Integer progress,
      List<StoredImage> images, TokenUsage usage, BigDecimal cost, JobError error) {
    return new StatusEvent(StatusEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), job.jobId(), job.tenant(),
        status, job.attempt(), routing.route(), routing.reason(), taskId, progress, images, usage, cost,
        estimateOf(job, routing, error), null, null, error,
        job.metadata(), clock.instant(), workerId);
  }

  /** On the route the event names (the job's own before one is chosen); none for an invalid job. */
  private BigDecimal estimateOf(JobRequest job, Routing routing, JobError error) {
    if (error != null && ErrorCodes.INVALID_JOB.equals(error.code())) {
      return null;
    }
    return estimate.apply(job, routing.route() != null ? routing.route() : job.route()).orElse(null);
  }
}
