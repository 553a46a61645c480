package io.imagefleet.bench;

import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a contender's batch as fast as the broker takes it, like a producer team dropping a
 * backlog: every job valid, small (square, low quality, {@code images} each), its {@code
 * created_at} stamped as it is sent.
 *
 * <p>One producer serves the whole benchmark, as a producer team's would. A producer made per batch
 * held the batch's first records until it had connected and registered as an idempotent producer,
 * time that the measured window, which starts at the first {@code created_at}, charged to the
 * contender.
 */
final class JobFeeder implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;

  JobFeeder(Properties client) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Publishes {@code jobs} jobs; returns each job's {@code created_at} by job id. */
  Map<String, Instant> feed(String topic, String runId, int jobs, int images) {
    return feed(topic, runId, jobs, images, "");
  }

  /**
   * Publishes {@code jobs} jobs whose prompts end with {@code promptSuffix} (e.g. a simulator
   * marker such as {@code [sim:duration=200ms]}), and waits until the broker has them all; returns
   * each job's {@code created_at} by job id.
   */
  Map<String, Instant> feed(String topic, String runId, int jobs, int images, String promptSuffix) {
    return feed(topic, "bench", runId, jobs, images, promptSuffix);
  }

  /**
   * Publishes {@code jobs} jobs of {@code tenant}, with ids {@code idPrefix-0}, {@code idPrefix-1}
   * and so on; otherwise as {@link #feed(String, String, int, int, String)}.
   */
  Map<String, Instant> feed(
      String topic, String tenant, String idPrefix, int jobs, int images, String promptSuffix) {
    producer.partitionsFor(topic); // the topic's leaders known before the first job is stamped
    Map<String, Instant> created = new HashMap<>();
    for (int i = 0; i < jobs; i++) {
      String id = idPrefix + "-" + i;
      Instant now = Instant.now();
      JobRequest job =
          JobRequest.builder(
                  id,
                  tenant,
                  "a walnut lounge chair on a seamless grey backdrop, "
                      + "product photography, variant "
                      + i
                      + promptSuffix)
              .size(ImageSize.SQUARE)
              .quality(ImageQuality.LOW)
              .n(images)
              .createdAt(now)
              .build();
      created.put(id, now);
      producer.send(
          new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)));
    }
    producer.flush();
    return created;
  }

  @Override
  public void close() {
    producer.close();
  }
}
