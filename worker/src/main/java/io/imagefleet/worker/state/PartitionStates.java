package io.imagefleet.worker.state;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest {@link JobState} of every job of one partition, restored when the partition is assigned
 * and kept current as this worker's jobs end. Owned by the intake thread.
 *
 * <p>Memory: one entry per job id in the state topic's retention (about 200 bytes each), so size
 * {@code state.retention} to the replay window you need.
 */
public final class PartitionStates {
  private final Map<String, JobState> latest = new HashMap<>();

  public JobState get(String jobId) {
    return latest.get(jobId);
  }

  /** Keeps {@code state} unless a newer attempt of the job is already known. */
  public void put(JobState state) {
    latest.merge(state.jobId(), state, (old, now) -> now.attempt() >= old.attempt() ? now : old);
  }

  public int size() {
    return latest.size();
  }
}
