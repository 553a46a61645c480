package io.imagefleet.cli;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Every partition of a topic, for commands that read a whole topic without joining a group. */
final class TopicPartitions {
  private TopicPartitions() {}

  /** The partitions of {@code topic}; a missing topic is the person's to fix, so it says how. */
  static List<TopicPartition> of(Consumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new UserError(
          "topic " + topic + " does not exist; create it with bin/imagefleet topics");
    }
    return partitions;
  }
}
