package io.imagefleet.worker.state;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobStatus;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest {@link JobState} of every job of one partition, by {@linkplain JobIdentity identity},
 * restored when the partition is assigned and kept current as this worker's jobs end. Owned by the
 * intake thread.
 *
 * <p>Memory: a job in flight keeps its whole state (task id, route); an ended job keeps only its
 * bounded key, attempt, status and record offset, which is all a replay or a duplicate needs. Keys
 * are bounded ({@link JobIdentity#key()}), so a record with a huge id costs no more than any other.
 * The most recent ended jobs are remembered, up to a number per partition: a second record of one
 * of them is answered as a duplicate without a look at the state topic. Older ones are forgotten
 * once their offsets are committed; the state topic still has them, and a replay or a new owner
 * restores them from there, so a replayed record is never paid for twice.
 */
public final class PartitionStates {
  private final Map<String, JobState> open = new HashMap<>();

  /** In the order the jobs ended, oldest first: the order they are forgotten in. */
  private final LinkedHashMap<String, Ended> ended = new LinkedHashMap<>();

  private record Ended(int attempt, JobStatus status, Long recordOffset) {}

  /**
   * The job's latest state; for an ended job, only its identity, attempt, status and record offset.
   * A state written before tenants were keys is found under the job id alone.
   */
  public JobState get(JobIdentity id) {
    JobState state = get(id.key());
    return state != null || id.tenant() == null
        ? state
        : get(new JobIdentity(null, id.jobId()).key());
  }

  private JobState get(String key) {
    JobState current = open.get(key);
    Ended end = ended.get(key);
    if (current != null && (end == null || current.attempt() > end.attempt())) {
      return current;
    }
    if (end == null) {
      return null;
    }
    String jobId = key.substring(key.indexOf('/') + 1);
    String tenant = key.substring(0, key.indexOf('/'));
    return new JobState(
        jobId,
        end.attempt(),
        JobState.Phase.ENDED,
        null,
        null,
        null,
        end.status(),
        null,
        null,
        null,
        tenant.isEmpty() ? null : tenant,
        end.recordOffset(),
        null);
  }

  /** Keeps {@code state} unless a newer attempt of the job is already known. */
  public void put(JobState state) {
    String key = state.key();
    JobState current = get(key);
    if (current != null && current.attempt() > state.attempt()) {
      return;
    }
    if (state.isEnded()) {
      open.remove(key);
      ended.remove(key);
      ended.put(key, new Ended(state.attempt(), state.terminalStatus(), state.recordOffset()));
    } else {
      open.put(key, state);
    }
  }

  /**
   * Forgets the oldest ended jobs beyond {@code keep}, but only those whose records lie below
   * {@code committedOffset}: one not yet committed may still be read again by this owner.
   */
  public void forgetEnded(long committedOffset, int keep) {
    Iterator<Ended> oldest = ended.values().iterator();
    while (ended.size() > keep && oldest.hasNext()) {
      Ended next = oldest.next();
      if (next.recordOffset() != null && next.recordOffset() >= committedOffset) {
        return;
      }
      oldest.remove();
    }
  }

  /**
   * A copy holding only {@code tenant}'s jobs: what the owner of a partition of that tenant's own
   * jobs topic needs from the state partition it shares with every other jobs topic.
   */
  public PartitionStates ofTenant(String tenant) {
    String prefix = tenant + "/"; // tenant names hold no '/': see JobIdentity#key
    PartitionStates copy = new PartitionStates();
    open.forEach(
        (key, state) -> {
          if (key.startsWith(prefix)) {
            copy.open.put(key, state);
          }
        });
    ended.forEach(
        (key, end) -> {
          if (key.startsWith(prefix)) {
            copy.ended.put(key, end);
          }
        });
    return copy;
  }

  public int size() {
    return open.size() + ended.size();
  }
}
