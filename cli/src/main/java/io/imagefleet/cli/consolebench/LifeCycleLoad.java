package io.imagefleet.cli.consolebench;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes jobs' life cycles to the events topic as a fleet would: {@code jobsPerSecond} jobs
 * start every second for {@code duration}, and each goes ACCEPTED, SUBMITTED 0.1 s later, RUNNING
 * at 1 s and 2 s, SUCCEEDED at 3 s, so that once the first jobs end the topic carries five events
 * per started job. Every event is stamped {@code occurred_at} = the moment it is built, which the
 * pages use for their lag.
 *
 * <p>The events are the contract's {@link StatusEvent}s as workers write them (gzip, keyed by job
 * id), with an image, usage and cost on the ending. One scheduler thread owns the producer.
 */
final class LifeCycleLoad {
  static final int EVENTS_PER_JOB = 5;

  /** Ticks of 10 ms after ACCEPTED at which each event of the life cycle is published. */
  private static final int[] STAGE_TICKS = {0, 10, 100, 200, 300};

  private static final String[] TENANTS = {"catalog", "marketing", "edits"};
  private static final BigDecimal COST = new BigDecimal("0.0569");
  private static final TokenUsage USAGE = new TokenUsage(18, 0, 0, 3168, 0, 3186);

  private final Properties client;
  private final String topic;
  private final String prefix;
  private final int jobsPerSecond;
  private final long ticks;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile Instant firstSend;
  private volatile Instant lastSend;

  LifeCycleLoad(
      Properties client, String topic, String prefix, int jobsPerSecond, Duration duration) {
    this.client = client;
    this.topic = topic;
    this.prefix = prefix;
    this.jobsPerSecond = jobsPerSecond;
    this.ticks = duration.toMillis() / 10;
  }

  /** Jobs started in the whole run. */
  long jobs() {
    return started(ticks);
  }

  long published() {
    return published.get();
  }

  long failed() {
    return failed.get();
  }

  /** From the first send to the last one. */
  Duration sendingTime() {
    return firstSend == null ? Duration.ZERO : Duration.between(firstSend, lastSend);
  }

  /** Publishes the whole load, endings included; returns when every event is acknowledged. */
  void run() throws InterruptedException {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
    ScheduledExecutorService clock =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-console-load"));
    CountDownLatch done = new CountDownLatch(1);
    long lastTick = ticks - 1 + STAGE_TICKS[STAGE_TICKS.length - 1];
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      AtomicLong next = new AtomicLong();
      // At a fixed rate: a late tick is caught up at once, so the rate holds on average.
      clock.scheduleAtFixedRate(
          () -> {
            long n = next.getAndIncrement();
            if (n > lastTick) {
              done.countDown();
              return;
            }
            tick(producer, n);
          },
          0,
          10,
          TimeUnit.MILLISECONDS);
      done.await();
      clock.shutdown();
      producer.flush();
    } finally {
      clock.shutdownNow();
    }
  }

  private void tick(KafkaProducer<byte[], byte[]> producer, long n) {
    for (int stage = 0; stage < STAGE_TICKS.length; stage++) {
      long k = n - STAGE_TICKS[stage];
      if (k < 0 || k >= ticks) {
        continue;
      }
      for (long job = started(k); job < started(k + 1); job++) {
        String id = prefix + "-" + job;
        Instant now = Instant.now();
        if (firstSend == null) {
          firstSend = now;
        }
        lastSend = now;
        producer.send(
            new ProducerRecord<>(
                topic,
                id.getBytes(StandardCharsets.UTF_8),
                JobCodec.encodeEvent(event(id, job, stage, now))),
            (meta, error) -> (error == null ? published : failed).incrementAndGet());
      }
    }
  }

  /** Jobs started before tick {@code k}. */
  private long started(long k) {
    return k * jobsPerSecond / 100;
  }

  static StatusEvent event(String id, long job, int stage, Instant at) {
    String tenant = TENANTS[(int) (job % TENANTS.length)];
    String task = "task-unified-" + id;
    JobStatus status =
        switch (stage) {
          case 0 -> JobStatus.ACCEPTED;
          case 1 -> JobStatus.SUBMITTED;
          case 2, 3 -> JobStatus.RUNNING;
          default -> JobStatus.SUCCEEDED;
        };
    boolean ended = status == JobStatus.SUCCEEDED;
    List<StoredImage> images =
        ended
            ? List.of(
                new StoredImage(
                    0,
                    "file:///var/lib/imagefleet/images/" + tenant + "/" + id + "/attempt-1/0.png",
                    "https://files.example-gateway.com/" + task + "/0.png",
                    1_834_022,
                    "image/png",
                    1024,
                    1536,
                    "9f2c6b1e0d4a7c3b8e5f1a2d6c9b0e3f7a4d1c8b5e2f9a6d3c0b7e4f1a8d5c2b"))
            : List.of();
    return new StatusEvent(
        StatusEvent.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        id,
        tenant,
        status,
        1,
        "gpt-image-1.5",
        null,
        stage == 0 ? null : task,
        switch (stage) {
          case 0 -> null;
          case 1 -> 0;
          case 2 -> 35;
          case 3 -> 70;
          default -> 100;
        },
        images,
        ended ? USAGE : null,
        ended ? COST : null,
        COST,
        ended ? 6 : null,
        null,
        null,
        Map.of("sku", "SKU-" + (job % 5000), "campaign", "autumn"),
        at,
        "bench-worker-" + (job % 4),
        null);
  }
}
