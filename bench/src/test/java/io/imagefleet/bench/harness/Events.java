package io.imagefleet.bench.harness;

import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Status events as a worker would publish them, with only the fields the harness reads. */
final class Events {
  private Events() {}

  static StatusEvent of(String job, JobStatus status, String worker) {
    return event(job, status, worker, List.of(), null, null, null);
  }

  static StatusEvent succeeded(
      String job, String worker, long imageBytes, String cost, long tokens) {
    StoredImage image =
        new StoredImage(
            0, "file:///images/" + job + ".png", null, imageBytes, "image/png", 1, 1, null);
    return event(
        job,
        JobStatus.SUCCEEDED,
        worker,
        List.of(image),
        new BigDecimal(cost),
        new TokenUsage(0, 0, 0, tokens, 0, tokens),
        null);
  }

  static StatusEvent failed(String job, String worker, String code) {
    return event(
        job, JobStatus.FAILED, worker, List.of(), null, null, JobError.of(code, "no", false));
  }

  private static StatusEvent event(
      String job,
      JobStatus status,
      String worker,
      List<StoredImage> images,
      BigDecimal cost,
      TokenUsage usage,
      JobError error) {
    return new StatusEvent(
        0,
        UUID.randomUUID().toString(),
        job,
        "tenant",
        status,
        1,
        null,
        null,
        null,
        null,
        images,
        usage,
        cost,
        null,
        null,
        null,
        error,
        null,
        Instant.parse("2026-01-01T00:00:00Z"),
        worker);
  }
}
