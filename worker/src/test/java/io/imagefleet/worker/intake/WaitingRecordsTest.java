package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class WaitingRecordsTest {
  /** Topics named "<lane>-<anything>". */
  private final WaitingRecords waiting = new WaitingRecords(topic -> topic.split("-")[0]);

  private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset) {
    return new ConsumerRecord<>(topic, partition, offset, new byte[0], new byte[0]);
  }

  private static String at(ConsumerRecord<byte[], byte[]> r) {
    return r.topic() + "/" + r.partition() + "@" + r.offset();
  }

  @Test
  void givesRecordsBackInTheOrderTheyWereRead() {
    waiting.add(record("a-jobs", 1, 7));
    waiting.add(record("b-jobs", 0, 3));
    waiting.add(record("a-jobs", 0, 5));
    waiting.add(record("a-jobs", 1, 8));

    assertThat(List.of(at(waiting.pollOldest()), at(waiting.pollOldest())))
        .containsExactly("a-jobs/1@7", "b-jobs/0@3");
    assertThat(waiting.size()).isEqualTo(2);
    assertThat(at(waiting.pollOldest())).isEqualTo("a-jobs/0@5");
    assertThat(at(waiting.pollOldest())).isEqualTo("a-jobs/1@8");
    assertThat(waiting.pollOldest()).isNull();
    assertThat(waiting.isEmpty()).isTrue();
  }

  @Test
  void oneLanesRecordsComeOutWithoutTheOthersInFrontAndEachPartitionInOrder() {
    waiting.add(record("a-jobs", 0, 1));
    waiting.add(record("a-jobs", 0, 2));
    waiting.add(record("b-jobs", 0, 9));
    waiting.add(record("a-jobs", 0, 3));

    assertThat(at(waiting.pollOldestOf("b"))).isEqualTo("b-jobs/0@9");
    assertThat(waiting.pollOldestOf("b")).isNull();
    assertThat(at(waiting.pollOldestOf("a"))).isEqualTo("a-jobs/0@1");
    assertThat(at(waiting.pollOldestOf("a"))).isEqualTo("a-jobs/0@2");
    assertThat(at(waiting.pollOldestOf("a"))).isEqualTo("a-jobs/0@3");
  }

  @Test
  void countsRecordsPerLane() {
    waiting.add(record("a-jobs", 0, 1));
    waiting.add(record("a-other", 2, 1));
    waiting.add(record("b-jobs", 0, 1));

    assertThat(waiting.countsByLane()).isEqualTo(Map.of("a", 2, "b", 1));
    assertThat(waiting.holds("a")).isTrue();
    waiting.pollOldestOf("b");
    assertThat(waiting.holds("b")).isFalse();
    assertThat(waiting.lanes()).containsExactly("a");
  }

  @Test
  void dropsTheRecordsOfPartitionsHandedOver() {
    waiting.add(record("a-jobs", 0, 1));
    waiting.add(record("a-jobs", 1, 1));
    waiting.add(record("b-jobs", 0, 1));

    waiting.drop(List.of(new TopicPartition("a-jobs", 0), new TopicPartition("b-jobs", 0)));

    assertThat(waiting.size()).isEqualTo(1);
    assertThat(waiting.countsByLane()).isEqualTo(Map.of("a", 1));
    assertThat(at(waiting.pollOldest())).isEqualTo("a-jobs/1@1");
    waiting.add(record("b-jobs", 0, 2));
    waiting.clear();
    assertThat(waiting.isEmpty()).isTrue();
    assertThat(waiting.countsByLane()).isEmpty();
  }
}
