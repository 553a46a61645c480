package io.imagefleet.worker.events;

import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Builds the status events of one worker: stamps event id, time and worker id. */
public final class StatusEvents {
  private final String workerId;
  private final Clock clock;

  public StatusEvents(String workerId, Clock clock) {
    this.workerId = workerId;
    this.clock = clock;
  }

  public StatusEvent accepted(JobRequest job, String route) {
    return event(job, JobStatus.ACCEPTED, route, null, null, List.of(), null, null, null);
  }

  public StatusEvent submitted(JobRequest job, String route, String taskId) {
    return event(job, JobStatus.SUBMITTED, route, taskId, 0, List.of(), null, null, null);
  }

  public StatusEvent running(JobRequest job, String route, String taskId, int progress) {
    return event(job, JobStatus.RUNNING, route, taskId, progress, List.of(), null, null, null);
  }

  public StatusEvent succeeded(JobRequest job, String route, String taskId, List<StoredImage> images,
      TokenUsage usage, BigDecimal cost) {
    return event(job, JobStatus.SUCCEEDED, route, taskId, 100, images, usage, cost, null);
  }

  public StatusEvent failed(JobRequest job, String route, String taskId, JobError error) {
    return event(job, JobStatus.FAILED, route, taskId, null, List.of(), null, null, error);
  }

  private StatusEvent event(JobRequest job, JobStatus status, String route, String taskId, Integer progress,
      List<StoredImage> images, TokenUsage usage, BigDecimal cost, JobError error) {
    return new StatusEvent(StatusEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), job.jobId(), job.tenant(),
        status, job.attempt(), route, null, taskId, progress, images, usage, cost, null, error, job.metadata(),
        clock.instant(), workerId);
  }
}
