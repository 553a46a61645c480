package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer loop driven step by step on the test thread, with kafka-clients' mocks. */
class JobIntakeTest {
  private static final String TOPIC = "jobs";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final MutableClock clock = new MutableClock();
  private final Map<String, CompletableFuture<Void>> running = new HashMap<>();
  private JobIntake intake;

  @BeforeEach
  void setUp() {
    WorkerConfig config = ConfigLoader.fromMap(Map.of(
        "worker.id", "w1",
        "kafka.bootstrap.servers", "unused:9092",
        "upstream.base-url", "http://unused",
        "upstream.api-key", "k",
        "topics.jobs", TOPIC,
        "intake.max-in-flight", "3",
        "intake.commit-interval", "100ms"), Map.of());
    intake = new JobIntake(config, consumer, producer, job -> {
      CompletableFuture<Void> f = new CompletableFuture<>();
      running.put(job.jobId(), f);
      return f;
    }, scheduler, clock);
    intake.subscribe();
    consumer.rebalance(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
  }

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  @Test
  void takesJobsUpToTheCapThenPausesAndHandsTheRestBack() {
    for (int i = 0; i < 5; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    assertThat(running).containsOnlyKeys("job-0", "job-1", "job-2");
    assertThat(consumer.position(P0)).as("records past the cap are handed back").isEqualTo(3);

    intake.step();
    assertThat(consumer.paused()).containsExactly(P0);
    assertThat(intake.inFlight()).isEqualTo(3);

    running.get("job-0").complete(null);
    intake.step();
    assertThat(consumer.paused()).as("resumes once below the cap").isEmpty();
  }

  @Test
  void commitsOnlyTheContiguousCompletedPrefix() {
    for (int i = 0; i < 3; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    running.get("job-1").complete(null);
    running.get("job-2").complete(null);
    stepAfterCommitInterval();
    assertThat(committedOffset()).as("job-0 still runs: nothing past it may be committed").isZero();

    running.get("job-0").complete(null);
    stepAfterCommitInterval();
    assertThat(committed().offset()).isEqualTo(3);
  }

  @Test
  void deadLettersAnUndecodableRecordAndMovesOn() {
    add(0, "not json".getBytes(StandardCharsets.UTF_8));
    intake.step();
    stepAfterCommitInterval();

    assertThat(producer.history()).hasSize(1);
    var dead = producer.history().get(0);
    assertThat(dead.topic()).isEqualTo("imagefleet.jobs.v1.dlq");
    assertThat(dead.value()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
        .startsWith("undecodable");
    assertThat(committed().offset()).isEqualTo(1);
  }

  @Test
  void deadLettersARecordWhoseJobHitAWorkerBug() {
    add(0, job("buggy"));
    intake.step();
    running.get("buggy").completeExceptionally(new IllegalStateException("boom"));
    stepAfterCommitInterval();

    assertThat(producer.history()).hasSize(1);
    assertThat(new String(producer.history().get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
        StandardCharsets.UTF_8)).contains("boom");
    assertThat(committed().offset()).isEqualTo(1);
  }

  @Test
  void ignoresCompletionsOfARevokedAssignment() {
    add(0, job("job-0"));
    intake.step();
    consumer.rebalance(List.of()); // revoked: job-0 is handed over uncommitted
    consumer.rebalance(List.of(P0));
    running.get("job-0").complete(null);
    stepAfterCommitInterval();
    assertThat(committedOffset()).isZero();
  }

  private void stepAfterCommitInterval() {
    clock.advance(Duration.ofSeconds(1));
    intake.step();
  }

  private long committedOffset() {
    OffsetAndMetadata c = committed();
    return c == null ? 0 : c.offset();
  }

  private OffsetAndMetadata committed() {
    return consumer.committed(Set.of(P0)).get(P0);
  }

  private void add(long offset, byte[] value) {
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, ("k" + offset).getBytes(StandardCharsets.UTF_8), value));
  }

  private static byte[] job(String id) {
    return JobCodec.encode(JobRequest.builder(id, "catalog", "a chair").build());
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
