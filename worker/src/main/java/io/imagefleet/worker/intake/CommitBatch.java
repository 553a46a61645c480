package io.imagefleet.worker.intake;

import io.imagefleet.contracts.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What one transaction carries, taken out of the partitions' pending endings and dead letters when it
 * starts: put back when it aborts, final when it commits. A dead letter is taken only with the offset
 * that passes its record (see {@link AssignedPartition#deadLetters}). Built and settled on the intake
 * thread; the committer's thread only reads the immutable lists it is handed.
 */
final class CommitBatch {
  private final Map<AssignedPartition, List<AssignedPartition.Ended>> endings = new LinkedHashMap<>();
  private final Map<AssignedPartition, List<AssignedPartition.Held>> letters = new LinkedHashMap<>();
  private final Map<AssignedPartition, Long> offsets = new LinkedHashMap<>();

  private CommitBatch() {}

  /** Takes what {@code which} holds now: pending endings, dead letters due, and each new committable offset. */
  static CommitBatch take(Collection<AssignedPartition> which) {
    CommitBatch batch = new CommitBatch();
    for (AssignedPartition p : which) {
      if (!p.pending.isEmpty()) {
        batch.endings.put(p, List.copyOf(p.pending));
        p.pending.clear();
      }
      List<AssignedPartition.Held> due = due(p);
      if (!due.isEmpty()) {
        batch.letters.put(p, due);
        p.deadLetters.removeAll(due);
      }
      if (p.offsets.hasNewCommit()) {
        batch.offsets.put(p, p.offsets.committable());
      }
    }
    return batch;
  }

  /** Whether {@link #take} would find anything in {@code which} now (it takes nothing). */
  static boolean wouldCarry(Collection<AssignedPartition> which) {
    return which.stream().anyMatch(p -> !p.pending.isEmpty() || !due(p).isEmpty() || p.offsets.hasNewCommit());
  }

  /** Letters whose record lies below the offset this partition commits next (or already did). */
  private static List<AssignedPartition.Held> due(AssignedPartition p) {
    if (p.deadLetters.isEmpty()) {
      return List.of();
    }
    long committable = p.offsets.committable();
    return p.deadLetters.stream().filter(h -> h.offset() < committable).toList();
  }

  boolean isEmpty() {
    return endings.isEmpty() && letters.isEmpty() && offsets.isEmpty();
  }

  List<TransactionalCommitter.Ending> endings() {
    List<TransactionalCommitter.Ending> all = new ArrayList<>();
    endings.forEach((p, list) -> list.forEach(e -> all.add(new TransactionalCommitter.Ending(p.partition.topic(),
        p.partition.partition(), e.offset(), e.ending().event(), e.ending().endsAttempt()))));
    return all;
  }

  List<ProducerRecord<byte[], byte[]>> letters() {
    return letters.values().stream().flatMap(List::stream).map(AssignedPartition.Held::letter).toList();
  }

  Map<TopicPartition, OffsetAndMetadata> offsets() {
    Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
    offsets.forEach((p, offset) -> all.put(p.partition, new OffsetAndMetadata(offset)));
    return all;
  }

  /** The transaction aborted: its endings and dead letters go first in the next one. */
  void putBack() {
    endings.forEach((p, list) -> p.pending.addAll(0, list));
    letters.forEach((p, list) -> p.deadLetters.addAll(0, list));
  }

  /** The transaction committed: offsets are marked, then each ending and each dead letter's reason is handed on. */
  void forEachCommitted(BiConsumer<AssignedPartition, AssignedPartition.Ended> ending,
      Consumer<String> deadLetterReason) {
    offsets.forEach((p, offset) -> p.offsets.markCommitted(offset));
    endings.forEach((p, list) -> list.forEach(e -> ending.accept(p, e)));
    letters.values().forEach(list -> list.forEach(held -> deadLetterReason.accept(
        new String(held.letter().headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))));
  }
}
