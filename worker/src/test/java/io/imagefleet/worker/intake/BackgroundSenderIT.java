package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imagefleet.sandbox.testing.SharedTestKafka;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * On the real broker: a record sent from the producer's own I/O thread (in the callback of an
 * acknowledged send) to a topic the producer has not written to yet. Sent directly, the producer
 * waits for that topic's metadata, which only its I/O thread can fetch, until {@code max.block.ms};
 * through a {@link BackgroundSender} it is acknowledged at once.
 */
class BackgroundSenderIT {
  /** Short, so that the direct send's wait for itself ends quickly. */
  private static final int MAX_BLOCK_MS = 3_000;

  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String first = "sender-first-" + id;
  private final String second = "sender-second-" + id;

  @Test
  void aSendFromTheProducersOwnThreadToANewTopicWaitsForItself() throws Exception {
    SharedTestKafka.createTopics(first, second);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      CompletableFuture<Duration> blocked = new CompletableFuture<>();
      CompletableFuture<Future<RecordMetadata>> nested = new CompletableFuture<>();
      afterAcknowledged(
          producer,
          (metadata, error) -> {
            long start = System.nanoTime();
            nested.complete(producer.send(new ProducerRecord<>(second, new byte[] {2})));
            blocked.complete(Duration.ofNanos(System.nanoTime() - start));
          });
      await()
          .atMost(Duration.ofMillis(MAX_BLOCK_MS * 3L))
          .untilAsserted(() -> assertThat(blocked).isDone());
      assertThat(blocked.get())
          .as("the hazard BackgroundSender exists for: the I/O thread waited for itself")
          .isGreaterThanOrEqualTo(Duration.ofMillis(MAX_BLOCK_MS));
      assertThatThrownBy(() -> nested.get().get())
          .hasCauseInstanceOf(TimeoutException.class)
          .hasMessageContaining("not present in metadata");
    }
  }

  @Test
  void throughABackgroundSenderTheSameSendIsAcknowledged() throws Exception {
    SharedTestKafka.createTopics(first, second);
    try (KafkaProducer<byte[], byte[]> producer = producer();
        BackgroundSender sender = new BackgroundSender(producer, "test-sender", 10)) {
      CompletableFuture<RecordMetadata> nested = new CompletableFuture<>();
      afterAcknowledged(
          producer,
          (metadata, error) ->
              assertThat(
                      sender.send(
                          new ProducerRecord<>(second, new byte[] {2}),
                          (m, e) -> {
                            if (e != null) {
                              nested.completeExceptionally(e);
                            } else {
                              nested.complete(m);
                            }
                          }))
                  .isTrue());
      await()
          .atMost(Duration.ofMillis(MAX_BLOCK_MS - 1_000L))
          .untilAsserted(() -> assertThat(nested).isCompleted());
      assertThat(nested.get().topic()).isEqualTo(second);
    }
  }

  /** Sends one record to the first topic and runs {@code then} in its callback. */
  private void afterAcknowledged(
      KafkaProducer<byte[], byte[]> producer, BiConsumer<RecordMetadata, Exception> then) {
    producer.send(new ProducerRecord<>(first, new byte[] {1}), then::accept);
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedTestKafka.bootstrapServers(),
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            MAX_BLOCK_MS),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
