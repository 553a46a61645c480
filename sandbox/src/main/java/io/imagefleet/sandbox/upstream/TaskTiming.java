package io.imagefleet.sandbox.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a simulated task started and how long the simulator planned it to run: the time a job really
 * spent in the upstream. A benchmark subtracts it from a job's end-to-end time to get what the
 * fleet itself added (queueing aside).
 *
 * @param taskId the task id handed to the client
 * @param createdAt when the create call was accepted (the simulator's clock)
 * @param planned how long the task runs before it completes or fails
 */
public record TaskTiming(String taskId, Instant createdAt, Duration planned) {
  public TaskTiming {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(planned, "planned");
  }

  /** When the task ends: {@code createdAt + planned}. */
  public Instant endsAt() {
    return createdAt.plus(planned);
  }
}
