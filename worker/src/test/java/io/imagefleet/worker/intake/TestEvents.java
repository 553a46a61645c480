package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Status events for the intake's tests: a job of tenant {@code catalog}, attempt 1. */
final class TestEvents {
  private TestEvents() {}

  static StatusEvent terminal(String jobId, JobStatus status, Instant at, String workerId) {
    return new StatusEvent(
        1,
        "e-" + jobId,
        jobId,
        "catalog",
        status,
        1,
        "gpt-image-1.5",
        null,
        "task-" + jobId,
        100,
        List.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of(),
        at,
        workerId);
  }
}
