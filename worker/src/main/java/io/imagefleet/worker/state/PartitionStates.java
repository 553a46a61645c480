package io.imagefleet.worker.state;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest {@link JobState} of every job of one partition, restored when the partition is assigned
 * and kept current as this worker's jobs end. Owned by the intake thread.
 *
 * <p>Memory: a job in flight keeps its whole state (task id, route); an ended job keeps only its id
 * and attempt, which is all a replay needs to skip it. Ended jobs are remembered for the state
 * topic's retention (7 days by default), the window in which a replay pays nothing twice.
 */
public final class PartitionStates {
  private final Map<String, JobState> submitted = new HashMap<>();
  private final Map<String, Integer> endedAttempts = new HashMap<>();

  /** The job's latest state; for an ended job, only its id, attempt and phase are kept. */
  public JobState get(String jobId) {
    JobState open = submitted.get(jobId);
    Integer ended = endedAttempts.get(jobId);
    if (open != null && (ended == null || open.attempt() > ended)) {
      return open;
    }
    return ended == null ? null : new JobState(jobId, ended, JobState.Phase.ENDED, null, null, null, null, null, null, null);
  }

  /** Keeps {@code state} unless a newer attempt of the job is already known. */
  public void put(JobState state) {
    JobState current = get(state.jobId());
    if (current != null && current.attempt() > state.attempt()) {
      return;
    }
    if (state.isEnded()) {
      submitted.remove(state.jobId());
      endedAttempts.put(state.jobId(), state.attempt());
    } else {
      submitted.put(state.jobId(), state);
    }
  }

  public int size() {
    return submitted.size() + endedAttempts.size();
  }
}
