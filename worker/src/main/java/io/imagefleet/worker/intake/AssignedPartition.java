package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.worker.state.PartitionStates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition this worker owns, for one assignment: offsets, restored job states, running jobs and
 * endings waiting for the next transaction. A new instance per assignment, so completions from an
 * earlier assignment of the same partition are recognised by identity and ignored. Owned by the
 * intake thread.
 */
final class AssignedPartition {
  final TopicPartition partition;
  final PartitionOffsets offsets;
  final PartitionStates states;
  /** Running jobs by offset, to cancel them when the partition is handed over. */
  final Map<Long, JobHandler.RunningJob> running = new HashMap<>();
  /** Running jobs by identity and attempt: a duplicate record of a running job joins the first run. */
  final Map<String, JobHandler.RunningJob> runningJobs = new HashMap<>();
  /** Endings completed since the last committed transaction, with their records' offsets. */
  final List<Ended> pending = new ArrayList<>();
  /**
   * Dead letters waiting until their record's offset can be committed: a letter goes only in the
   * transaction that also moves the offset past its record, so a next owner that reads the record
   * again (the offset had not moved) has no letter of it yet and writes the only one.
   */
  final List<Held> deadLetters = new ArrayList<>();

  /** A job record's answer and the record's offset. */
  record Ended(long offset, JobEnding ending) {}

  /** A dead letter and the offset of the record it stands for. */
  record Held(long offset, ProducerRecord<byte[], byte[]> letter) {}

  AssignedPartition(TopicPartition partition, PartitionStates states) {
    this.partition = partition;
    this.offsets = new PartitionOffsets(partition);
    this.states = states;
  }

  static String runKey(JobIdentity id, int attempt) {
    return id.key() + "#" + attempt;
  }
}
