package io.imagefleet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imagefleet.bench.harness.EventsReader.DeadLetter;
import io.imagefleet.bench.harness.EventsReader.Topics;
import io.imagefleet.contracts.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class EventsReaderTest {
  private static final Topics TOPICS = new Topics("events", 2, "dlq");

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  private final EventsReader.Listener<String> listener =
      new EventsReader.Listener<>() {
        @Override
        public void onEvent(String event) {
          events.add(event);
        }

        @Override
        public void onDeadLetter(DeadLetter letter) {
          deadLetters.add(letter);
        }
      };

  EventsReaderTest() {
    consumer.updateBeginningOffsets(
        Map.of(
            new TopicPartition("events", 0),
            0L,
            new TopicPartition("events", 1),
            0L,
            new TopicPartition("dlq", 0),
            0L));
  }

  @Test
  void readsEveryPartitionOfTheEventsTopicFromTheBeginningAndTheDeadLetterTopic() {
    EventsReader<String> reader =
        new EventsReader<>(consumer, TOPICS, bytes -> text(bytes).toUpperCase(), listener);

    assertThat(consumer.assignment())
        .containsExactlyInAnyOrder(
            new TopicPartition("events", 0),
            new TopicPartition("events", 1),
            new TopicPartition("dlq", 0));
    consumer.addRecord(record("events", 0, 0, "a", "first"));
    consumer.addRecord(record("events", 1, 0, "b", "second"));
    ConsumerRecord<byte[], byte[]> letter = record("dlq", 0, 0, "run-malformed", "{oops");
    letter.headers().add(DeadLetterHeaders.REASON, "undecodable".getBytes(StandardCharsets.UTF_8));
    consumer.addRecord(letter);
    consumer.addRecord(record("dlq", 0, 1, "run-bare", "{"));
    reader.begin();

    await().until(() -> events.size() == 2 && deadLetters.size() == 2);
    reader.close();
    assertThat(events).containsExactlyInAnyOrder("FIRST", "SECOND");
    assertThat(deadLetters)
        .containsExactly(
            new DeadLetter("run-malformed", "undecodable"), new DeadLetter("run-bare", "?"));
  }

  @Test
  void closesItsConsumerWhenClosed() {
    EventsReader<String> reader =
        new EventsReader<>(consumer, TOPICS, EventsReaderTest::text, listener).begin();
    assertThat(reader.isReading()).isTrue();

    reader.close();

    assertThat(reader.isReading()).isFalse();
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void stopsAndSaysSoOnCloseWhenAnEventCannotBeDecoded() {
    Function<byte[], String> decoder =
        bytes -> {
          throw new IllegalArgumentException("not an event");
        };
    EventsReader<String> reader = new EventsReader<>(consumer, TOPICS, decoder, listener);
    consumer.addRecord(record("events", 0, 0, "a", "garbage"));
    reader.begin();

    await().until(() -> !reader.isReading());
    assertThat(consumer.closed()).isTrue();
    assertThatThrownBy(reader::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("events")
        .hasRootCauseMessage("not an event");
  }

  private static ConsumerRecord<byte[], byte[]> record(
      String topic, int partition, long offset, String key, String value) {
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
