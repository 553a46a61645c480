package io.imagefleet.worker.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * On the real broker: the step that follows a state write runs on the steps executor, so a step
 * that sends to a topic the producer has not written to yet is acknowledged at once, instead of
 * waiting on the producer's own I/O thread for that topic's metadata (see BackgroundSenderIT for
 * that hazard).
 */
class StateWriterIT {
  /**
   * Short, so that a step run on the I/O thread gives up its wait quickly, failing "not present in
   * metadata".
   */
  private static final int MAX_BLOCK_MS = 3_000;

  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String stateTopic = "writer-state-" + id;
  private final String otherTopic = "writer-other-" + id;

  @Test
  void theStepAfterAWriteRunsOffTheProducersThreadAndMaySendAnywhere() throws Exception {
    SharedTestKafka.createTopics(stateTopic, otherTopic);
    ExecutorService steps = Executors.newSingleThreadExecutor(r -> new Thread(r, "steps-" + id));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      StateWriter writer = new StateWriter(producer, stateTopic, steps);
      CompletableFuture<String> stepThread = new CompletableFuture<>();
      CompletableFuture<RecordMetadata> stepSend = new CompletableFuture<>();
      writer
          .write(0, state("job-1"))
          .thenRun(
              () -> {
                stepThread.complete(Thread.currentThread().getName());
                producer.send(
                    new ProducerRecord<>(otherTopic, new byte[] {1}),
                    (metadata, error) -> {
                      if (error != null) {
                        stepSend.completeExceptionally(error);
                      } else {
                        stepSend.complete(metadata);
                      }
                    });
              });

      await().atMost(Duration.ofSeconds(30)).until(stepSend::isDone);
      assertThat(stepSend)
          .as("the step's send, not stalled by a wait for the producer's own thread")
          .isCompletedWithValueMatching(m -> m.topic().equals(otherTopic));
      assertThat(stepThread.get()).isEqualTo("steps-" + id);
    } finally {
      steps.shutdownNow();
    }
  }

  private static JobState state(String jobId) {
    return JobState.waiting(new JobIdentity("catalog", jobId), 1, 0, Instant.now(), "w1");
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
