package io.imagefleet.worker.intake;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records a poll returned that have not started yet, kept per partition in the order they were
 * read, so that one lane's records never stand in front of another's: the intake may start the
 * oldest record of any lane, and a partition's records always start in offset order. They are
 * neither started nor tracked, so dropping them (a partition handed over, a stop) loses nothing:
 * the partition's next owner fetches them from the committed offset. The intake thread owns it;
 * {@link #countsByLane()} may be read from any thread.
 */
final class WaitingRecords {
  private final Function<String, String> laneOfTopic;
  private final Map<TopicPartition, ArrayDeque<Entry>> byPartition = new HashMap<>();
  private final Map<String, Integer> byLane = new ConcurrentHashMap<>();
  private long nextSequence;
  private int size;

  /** A record and its place in the order of reading. */
  private record Entry(long sequence, ConsumerRecord<byte[], byte[]> record) {}

  /**
   * @param laneOfTopic the lane of a record's topic (its tenant, or the shared topic's lane)
   */
  WaitingRecords(Function<String, String> laneOfTopic) {
    this.laneOfTopic = laneOfTopic;
  }

  void add(ConsumerRecord<byte[], byte[]> record) {
    byPartition
        .computeIfAbsent(
            new TopicPartition(record.topic(), record.partition()), p -> new ArrayDeque<>())
        .add(new Entry(nextSequence++, record));
    byLane.merge(laneOfTopic.apply(record.topic()), 1, Integer::sum);
    size++;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The lanes with records waiting. */
  Set<String> lanes() {
    return byLane.keySet();
  }

  /** Whether any record of {@code lane} waits. */
  boolean holds(String lane) {
    return byLane.containsKey(lane);
  }

  /** Removes and returns the record read first, of any lane; null when none waits. */
  ConsumerRecord<byte[], byte[]> pollOldest() {
    return pollOldest(null);
  }

  /** Removes and returns the record of {@code lane} read first; null when none waits. */
  ConsumerRecord<byte[], byte[]> pollOldestOf(String lane) {
    return pollOldest(lane);
  }

  private ConsumerRecord<byte[], byte[]> pollOldest(String lane) {
    ArrayDeque<Entry> oldest = null;
    for (Map.Entry<TopicPartition, ArrayDeque<Entry>> e : byPartition.entrySet()) {
      if (lane != null && !laneOfTopic.apply(e.getKey().topic()).equals(lane)) {
        continue;
      }
      if (oldest == null || e.getValue().peek().sequence() < oldest.peek().sequence()) {
        oldest = e.getValue();
      }
    }
    if (oldest == null) {
      return null;
    }
    ConsumerRecord<byte[], byte[]> record = oldest.poll().record();
    if (oldest.isEmpty()) {
      byPartition.remove(new TopicPartition(record.topic(), record.partition()));
    }
    forget(laneOfTopic.apply(record.topic()), 1);
    return record;
  }

  /** Drops the records of {@code partitions} (handed over or lost). */
  void drop(Collection<TopicPartition> partitions) {
    Iterator<Map.Entry<TopicPartition, ArrayDeque<Entry>>> it = byPartition.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<TopicPartition, ArrayDeque<Entry>> e = it.next();
      if (partitions.contains(e.getKey())) {
        forget(laneOfTopic.apply(e.getKey().topic()), e.getValue().size());
        it.remove();
      }
    }
  }

  void clear() {
    byPartition.clear();
    byLane.clear();
    size = 0;
  }

  /** Records waiting per lane; a lane with none has no entry. Any thread may read it. */
  Map<String, Integer> countsByLane() {
    return Map.copyOf(byLane);
  }

  private void forget(String lane, int count) {
    byLane.computeIfPresent(lane, (l, n) -> n - count <= 0 ? null : n - count);
    size -= count;
  }
}
