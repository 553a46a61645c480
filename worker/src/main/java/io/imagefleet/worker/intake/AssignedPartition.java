package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.PartitionStates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition this worker owns, for one assignment, and the rules of its life: which records are
 * in flight, which jobs run, which answers wait for a transaction, and what its job states say. The
 * intake asks it; nothing else changes what it holds. A new instance per assignment, so completions
 * from an earlier assignment of the same partition are recognised by identity and ignored. Owned by
 * the intake thread.
 */
final class AssignedPartition {
  private final TopicPartition partition;
  private final PartitionOffsets offsets;
  private final PartitionStates states;

  /** Running jobs by offset, to cancel them when the partition is handed over. */
  private final Map<Long, JobHandler.RunningJob> running = new HashMap<>();

  /**
   * The same runs by identity and attempt: a duplicate record of a running job joins the first run.
   */
  private final Map<String, JobHandler.RunningJob> runningJobs = new HashMap<>();

  /** Answers completed since the last committed transaction, with their records' offsets. */
  private final List<Ended> pending = new ArrayList<>();

  /**
   * Dead letters waiting until their record's offset can be committed: a letter goes only in the
   * transaction that also moves the offset past its record, so a next owner that reads the record
   * again (the offset had not moved) has no letter of it yet and writes the only one.
   */
  private final List<Held> deadLetters = new ArrayList<>();

  /** A job record's answer and the record's offset. */
  record Ended(long offset, JobEnding ending) {}

  /** A dead letter and the offset of the record it stands for. */
  record Held(long offset, ProducerRecord<byte[], byte[]> letter) {}

  /**
   * What one transaction takes from this partition: its answers, the dead letters it may write, and
   * the offset to commit ({@code -1} when the offset does not move).
   */
  record Taken(List<Ended> endings, List<Held> letters, long offset) {
    boolean isEmpty() {
      return endings.isEmpty() && letters.isEmpty() && offset < 0;
    }
  }

  AssignedPartition(TopicPartition partition, PartitionStates states) {
    this.partition = partition;
    this.offsets = new PartitionOffsets(partition);
    this.states = states;
  }

  TopicPartition partition() {
    return partition;
  }

  /** A record is taken: its offset stays uncommitted until it is answered. */
  void track(long offset) {
    offsets.track(offset);
  }

  /** The job's latest known state: running, ended (a duplicate), or none. */
  JobState stateOf(JobIdentity id) {
    return states.get(id);
  }

  /** The run of the same job attempt started by an earlier record, if it still runs. */
  Optional<JobHandler.RunningJob> runningTwin(JobIdentity id, int attempt) {
    return Optional.ofNullable(runningJobs.get(runKey(id, attempt)));
  }

  void started(long offset, JobIdentity id, int attempt, JobHandler.RunningJob run) {
    running.put(offset, run);
    runningJobs.put(runKey(id, attempt), run);
  }

  /**
   * The record at {@code offset} is answered: its run (if any) is over, and its ending or dead
   * letter waits for the next transaction.
   */
  void answered(long offset, JobEnding ending, ProducerRecord<byte[], byte[]> deadLetter) {
    offsets.complete(offset);
    JobHandler.RunningJob run = running.remove(offset);
    if (run != null) {
      runningJobs.values().remove(run);
    }
    if (ending != null) {
      pending.add(new Ended(offset, ending));
    }
    if (deadLetter != null) {
      deadLetters.add(new Held(offset, deadLetter));
    }
  }

  Collection<JobHandler.RunningJob> running() {
    return Collections.unmodifiableCollection(running.values());
  }

  /** Hands every running job over (its next owner resumes it); returns how many there were. */
  int cancelRunning() {
    int count = running.size();
    running.values().forEach(JobHandler.RunningJob::cancel);
    return count;
  }

  /** Whether a transaction would take anything from this partition now. */
  boolean hasSomethingToCommit() {
    return !pending.isEmpty() || offsets.hasNewCommit() || !due().isEmpty();
  }

  /** Takes what the next transaction carries; {@link #putBack} or {@link #committed} settles it. */
  Taken take() {
    List<Ended> endings = List.copyOf(pending);
    pending.clear();
    List<Held> letters = due();
    deadLetters.removeAll(letters);
    return new Taken(endings, letters, offsets.hasNewCommit() ? offsets.committable() : -1);
  }

  /** The transaction aborted: what it took goes first in the next one. */
  void putBack(Taken taken) {
    pending.addAll(0, taken.endings());
    deadLetters.addAll(0, taken.letters());
  }

  /**
   * The transaction committed: its offset is marked, the jobs whose attempts it ended are
   * remembered as ended, and the oldest ended jobs beyond {@code keepEnded} are forgotten.
   */
  void committed(Taken taken, Instant now, int keepEnded) {
    if (taken.offset() >= 0) {
      offsets.markCommitted(taken.offset());
    }
    for (Ended ended : taken.endings()) {
      if (ended.ending().endsAttempt()) {
        StatusEvent event = ended.ending().event();
        states.put(
            JobState.ended(
                new JobIdentity(event.tenant(), event.jobId()),
                event.attempt(),
                null,
                null,
                event.status(),
                ended.offset(),
                now,
                event.workerId()));
      }
    }
    states.forgetEnded(offsets.committable(), keepEnded);
  }

  /** Letters whose record lies below the offset this partition commits next (or already did). */
  private List<Held> due() {
    if (deadLetters.isEmpty()) {
      return List.of();
    }
    long committable = offsets.committable();
    return deadLetters.stream().filter(h -> h.offset() < committable).toList();
  }

  private static String runKey(JobIdentity id, int attempt) {
    return id.key() + "#" + attempt;
  }
}
