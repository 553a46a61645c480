package io.imagefleet.worker.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.JobStatus;
import java.time.Instant;

/**
 * What the fleet knows about one job, kept in the compacted job-state topic (key = job id, same
 * partition number as the job's record). Workers are stateless: this record is how a job's next
 * owner learns that its task was already paid for (and resumes polling it) or that the job already
 * ended (and skips it on a replay).
 *
 * @param phase          {@code SUBMITTED} once the upstream accepted a task; {@code ENDED} once the
 *                       terminal event is committed
 * @param taskId         the upstream task of this attempt
 * @param terminalStatus on {@code ENDED}: SUCCEEDED or FAILED
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobState(
    String jobId,
    int attempt,
    Phase phase,
    String route,
    String routeReason,
    String taskId,
    JobStatus terminalStatus,
    Instant updatedAt,
    String workerId) {

  /** Where a job attempt stands, as far as paying and ending go. */
  public enum Phase { SUBMITTED, ENDED }

  public static JobState submitted(String jobId, int attempt, String route, String routeReason, String taskId,
      Instant at, String workerId) {
    return new JobState(jobId, attempt, Phase.SUBMITTED, route, routeReason, taskId, null, at, workerId);
  }

  public static JobState ended(String jobId, int attempt, String route, String taskId, JobStatus status, Instant at,
      String workerId) {
    return new JobState(jobId, attempt, Phase.ENDED, route, null, taskId, status, at, workerId);
  }

  @JsonIgnore
  public boolean isEnded() {
    return phase == Phase.ENDED;
  }
}
