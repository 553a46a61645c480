package io.imagefleet.worker.intake;

import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets of one assigned partition: which records are still in flight and how far the contiguous
 * completed prefix reaches. Jobs finish out of order; only the prefix may be committed, because a
 * commit at offset N tells the group that everything below N is done (invariant 1).
 *
 * <p>Owned by the intake thread; one instance per assignment, so completions that arrive for an
 * earlier assignment of the same partition are recognised by identity and ignored.
 */
final class PartitionOffsets {
  private final TopicPartition partition;
  private final TreeSet<Long> inFlight = new TreeSet<>();
  private long highestTracked = -1;
  private long lastCommitted = -1;

  PartitionOffsets(TopicPartition partition) {
    this.partition = partition;
  }

  TopicPartition partition() {
    return partition;
  }

  void track(long offset) {
    inFlight.add(offset);
    highestTracked = Math.max(highestTracked, offset);
  }

  void complete(long offset) {
    inFlight.remove(offset);
  }

  int inFlightCount() {
    return inFlight.size();
  }

  /** The offset to commit (the next record to read), or -1 when nothing has been tracked yet. */
  long committable() {
    if (highestTracked < 0) {
      return -1;
    }
    return inFlight.isEmpty() ? highestTracked + 1 : inFlight.first();
  }

  /** Whether the committable offset moved past the last commit. */
  boolean hasNewCommit() {
    long c = committable();
    return c > lastCommitted;
  }

  void markCommitted(long offset) {
    lastCommitted = Math.max(lastCommitted, offset);
  }

  /** A commit failed: send the current offset again at the next chance. */
  void forgetCommit() {
    lastCommitted = -1;
  }
}
