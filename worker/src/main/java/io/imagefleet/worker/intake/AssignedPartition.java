package io.imagefleet.worker.intake;

import io.imagefleet.worker.state.PartitionStates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  /** Running jobs by {@code jobId#attempt}: a duplicate record of a running job joins the first run. */
  final Map<String, JobHandler.RunningJob> runningJobs = new HashMap<>();
  /** Endings completed since the last committed transaction. */
  final List<JobEnding> pending = new ArrayList<>();
  /** Dead letters waiting for the next transaction, written together with their records' offsets. */
  final List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

  AssignedPartition(TopicPartition partition, PartitionStates states) {
    this.partition = partition;
    this.offsets = new PartitionOffsets(partition);
    this.states = states;
  }

  static String runKey(String jobId, int attempt) {
    return jobId + "#" + attempt;
  }
}
