package io.imagefleet.worker.intake;

import io.imagefleet.contracts.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What one transaction carries, {@linkplain AssignedPartition#take taken} from each partition when
 * it starts: put back when it aborts, final when it commits. Built and settled on the intake
 * thread; the committer's thread only reads the immutable lists it is handed.
 */
final class CommitBatch {
  private final Map<AssignedPartition, AssignedPartition.Taken> taken = new LinkedHashMap<>();

  private CommitBatch() {}

  /**
   * Takes what {@code which} holds now: answers, dead letters due, and each new committable offset.
   */
  static CommitBatch take(Collection<AssignedPartition> which) {
    CommitBatch batch = new CommitBatch();
    for (AssignedPartition p : which) {
      AssignedPartition.Taken t = p.take();
      if (!t.isEmpty()) {
        batch.taken.put(p, t);
      }
    }
    return batch;
  }

  /** Whether {@link #take} would find anything in {@code which} now (it takes nothing). */
  static boolean wouldCarry(Collection<AssignedPartition> which) {
    return which.stream().anyMatch(AssignedPartition::hasSomethingToCommit);
  }

  boolean isEmpty() {
    return taken.isEmpty();
  }

  List<TransactionalCommitter.Ending> endings() {
    return taken.entrySet().stream()
        .flatMap(
            e ->
                e.getValue().endings().stream()
                    .map(
                        ended ->
                            new TransactionalCommitter.Ending(
                                e.getKey().partition().topic(),
                                e.getKey().partition().partition(),
                                ended.offset(),
                                ended.ending().event(),
                                ended.ending().endsAttempt(),
                                ended.ending().callbackUrl(),
                                ended.ending().traceparent())))
        .toList();
  }

  List<ProducerRecord<byte[], byte[]>> letters() {
    return taken.values().stream()
        .flatMap(t -> t.letters().stream())
        .map(AssignedPartition.Held::letter)
        .toList();
  }

  Map<TopicPartition, OffsetAndMetadata> offsets() {
    Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
    taken.forEach(
        (p, t) -> {
          if (t.offset() >= 0) {
            all.put(p.partition(), new OffsetAndMetadata(t.offset()));
          }
        });
    return all;
  }

  /** The transaction aborted: its answers and dead letters go first in the next one. */
  void putBack() {
    taken.forEach(AssignedPartition::putBack);
  }

  /**
   * The transaction committed: each partition settles what it gave, then each answer and each dead
   * letter's reason is handed on.
   */
  void committed(
      Instant now, int keepEnded, Consumer<JobEnding> answered, Consumer<String> deadLetterReason) {
    taken.forEach((p, t) -> p.committed(t, now, keepEnded));
    taken
        .values()
        .forEach(
            t -> {
              t.endings().forEach(ended -> answered.accept(ended.ending()));
              t.letters()
                  .forEach(
                      held ->
                          deadLetterReason.accept(
                              new String(
                                  held.letter()
                                      .headers()
                                      .lastHeader(DeadLetterHeaders.REASON)
                                      .value(),
                                  StandardCharsets.UTF_8)));
            });
  }
}
