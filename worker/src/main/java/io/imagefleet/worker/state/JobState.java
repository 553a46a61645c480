package io.imagefleet.worker.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobStatus;
import java.time.Instant;

/**
 * What the fleet knows about one job, kept in the compacted job-state topic (key = the job's {@link
 * JobIdentity#key() identity key}, {@code tenant/job id}; same partition number as the job's
 * record). States written before tenants were part of the key have no {@code tenant}; they are
 * found under the job id alone. Workers are stateless: this record is how a job's next owner learns
 * that its task was already paid for (and resumes polling it) or that the job already ended (and
 * skips it on a replay).
 *
 * @param phase see {@link Phase}
 * @param taskId the upstream task of this attempt
 * @param terminalStatus on {@code ENDED}: SUCCEEDED or FAILED
 * @param unconfirmedSubmissions task creations of this attempt known to have lost their answer so
 *     far (absent when none); carried to the next owner so the terminal event counts them
 * @param tenant the job's tenant (bounded, as on its events)
 * @param recordOffset on {@code ENDED}: the offset of the job record whose ending this is. The same
 *     record read again (a replay, a hand-over) is skipped silently; another record of the same
 *     attempt is answered with a DUPLICATE event
 * @param traceparent the W3C {@code traceparent} of the job's trace anchor (its first owner's
 *     {@code job.admit} span), absent when the job is not traced: a next owner hangs its spans
 *     there, so a job taken over stays in one trace. Readers that do not know it ignore it
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
    String workerId,
    Integer unconfirmedSubmissions,
    String tenant,
    Long recordOffset,
    String traceparent) {

  /** Where a job attempt stands, as far as paying and ending go. */
  public enum Phase {
    /**
     * Written, and acknowledged, before the attempt's first task creation: from then until
     * SUBMITTED, a creation may be outstanding. A next owner that finds this phase cannot know
     * whether the upstream accepted a task, so it counts one unconfirmed submission.
     */
    SUBMITTING,
    /** No creation outstanding: the attempt is waiting for a route or for spending to resume. */
    WAITING,
    /** The upstream accepted a task; its id is recorded. */
    SUBMITTED,
    /** The terminal event is committed. */
    ENDED
  }

  public static JobState submitting(
      JobIdentity id, int attempt, int unconfirmed, Instant at, String workerId) {
    return withoutTask(id, attempt, Phase.SUBMITTING, unconfirmed, at, workerId);
  }

  public static JobState waiting(
      JobIdentity id, int attempt, int unconfirmed, Instant at, String workerId) {
    return withoutTask(id, attempt, Phase.WAITING, unconfirmed, at, workerId);
  }

  /** A phase before any task is known: only the creations outstanding are counted. */
  private static JobState withoutTask(
      JobIdentity id, int attempt, Phase phase, int unconfirmed, Instant at, String workerId) {
    JobIdentity written = id.asWritten();
    return new JobState(
        written.jobId(),
        attempt,
        phase,
        null,
        null,
        null,
        null,
        at,
        workerId,
        countOrNull(unconfirmed),
        written.tenant(),
        null,
        null);
  }

  public static JobState submitted(
      JobIdentity id,
      int attempt,
      String route,
      String routeReason,
      String taskId,
      int unconfirmed,
      Instant at,
      String workerId) {
    JobIdentity written = id.asWritten();
    return new JobState(
        written.jobId(),
        attempt,
        Phase.SUBMITTED,
        route,
        routeReason,
        taskId,
        null,
        at,
        workerId,
        countOrNull(unconfirmed),
        written.tenant(),
        null,
        null);
  }

  public static JobState ended(
      JobIdentity id,
      int attempt,
      String route,
      String taskId,
      JobStatus status,
      long recordOffset,
      Instant at,
      String workerId) {
    JobIdentity written = id.asWritten();
    return new JobState(
        written.jobId(),
        attempt,
        Phase.ENDED,
        route,
        null,
        taskId,
        status,
        at,
        workerId,
        null,
        written.tenant(),
        recordOffset,
        null);
  }

  /** This state with the job's trace anchor ({@code null}: not traced). */
  public JobState withTraceparent(String traceparent) {
    return new JobState(
        jobId,
        attempt,
        phase,
        route,
        routeReason,
        taskId,
        terminalStatus,
        updatedAt,
        workerId,
        unconfirmedSubmissions,
        tenant,
        recordOffset,
        traceparent);
  }

  /** The key this state is kept under, in memory and on the state topic. */
  @JsonIgnore
  public String key() {
    return identity().key();
  }

  @JsonIgnore
  public JobIdentity identity() {
    return new JobIdentity(tenant, jobId);
  }

  private static Integer countOrNull(int count) {
    return count == 0 ? null : count;
  }

  /** Task creations of this attempt known to have lost their answer (0 when absent). */
  @JsonIgnore
  public int unconfirmed() {
    return unconfirmedSubmissions == null ? 0 : unconfirmedSubmissions;
  }

  /** True when the previous owner may have had a task creation outstanding when it stopped. */
  @JsonIgnore
  public boolean isInDoubt() {
    return phase == Phase.SUBMITTING;
  }

  /** True when the upstream accepted a task for this attempt: the next owner polls it. */
  @JsonIgnore
  public boolean hasTask() {
    return phase == Phase.SUBMITTED;
  }

  @JsonIgnore
  public boolean isEnded() {
    return phase == Phase.ENDED;
  }
}
