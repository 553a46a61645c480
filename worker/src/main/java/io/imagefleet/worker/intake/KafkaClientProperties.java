package io.imagefleet.worker.intake;

import io.imagefleet.worker.config.Compression;
import io.imagefleet.worker.config.CompressionSettings;
import io.imagefleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka client properties for the worker: the settings its guarantees depend on, then every {@code
 * kafka.*} key from configuration that the client knows (so SASL/TLS/tuning pass through, and no
 * "unknown config" warnings are logged for keys meant for the other client).
 */
public final class KafkaClientProperties {
  private static final String CONFIG_PROVIDERS = AbstractConfig.CONFIG_PROVIDERS_CONFIG;

  private KafkaClientProperties() {}

  public static Properties consumer(WorkerConfig config) {
    Properties p = new Properties();
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-intake");
    // The jobs topics are subscribed by pattern: a tenant's new topic is seen at the next metadata
    // refresh, so within this time rather than the client's default five minutes.
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
    passThrough(p, config.kafka().clientProperties(), ConsumerConfig.configNames());
    // The worker commits itself, only the completed prefix (invariant 1): never let the client do
    // it.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Jobs written in a producer team's aborted transaction were never sent.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /**
   * The consumer of owed callbacks: the intake's settings in a group of its own (every worker
   * delivers the callbacks of the partitions it owns there), reading only committed endings.
   */
  public static Properties callbackConsumer(WorkerConfig config) {
    Properties p = consumer(config);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-callbacks");
    p.put(
        ConsumerConfig.GROUP_ID_CONFIG,
        config.callbacks().groupId().orElse(config.kafka().groupId() + ".callbacks"));
    return p;
  }

  /**
   * The intake's transactional producer: terminal events, ENDED states and offsets in one
   * transaction. Its transactional id is derived from the worker id, so a worker restarted under
   * the same id fences its previous incarnation's open transaction at once instead of waiting for
   * it to time out.
   */
  public static Properties transactionalProducer(WorkerConfig config) {
    Properties p = producer(config);
    CompressionSettings codecs = config.compression();
    // Terminal events, ENDED states and dead letters.
    p.put(
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        Compression.mostReadable(codecs.events(), codecs.deadLetters()).kafkaName());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-transactions");
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "imagefleet-" + config.workerId());
    p.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        String.valueOf(config.intake().transactionTimeout().toMillis()));
    return p;
  }

  /**
   * The worker's shared producer: progress events, job states, callbacks records, heartbeats and
   * budget entries. Kafka compresses per producer, so it uses the codec that the readers of every
   * public topic it writes can read.
   */
  public static Properties producer(WorkerConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-events");
    // A send to a topic whose metadata the producer dropped blocks its caller, a job step, until
    // the metadata is fetched again: a quiet tenant's events topic keeps it for a day, not for 5
    // idle minutes.
    p.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, String.valueOf(Duration.ofDays(1).toMillis()));
    passThrough(p, config.kafka().clientProperties(), ProducerConfig.configNames());
    CompressionSettings codecs = config.compression();
    p.put(
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        Compression.mostReadable(codecs.events(), codecs.callbacks(), codecs.heartbeats())
            .kafkaName());
    // A terminal event must be durable before its offset is committed: all replicas, no duplicates.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /**
   * A small admin client's properties (readiness probe, heartbeat topic check): the cluster and
   * security settings of {@code kafka.*}, its own client id and timeouts.
   */
  public static Properties admin(WorkerConfig config, String clientIdSuffix, Duration timeout) {
    Properties p = new Properties();
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, config.workerId() + "-" + clientIdSuffix);
    passThrough(p, config.kafka().clientProperties(), AdminClientConfig.configNames());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
    return p;
  }

  /**
   * Copies the keys the client knows, plus Kafka's config providers ({@code config.providers},
   * {@code config.providers.NAME.class}, ...), which no client lists among its names but every
   * client resolves: they let a secret such as the SASL password come from a file, {@code
   * ${file:/run/secrets/kafka.properties:password}}.
   */
  private static void passThrough(
      Properties target, Map<String, String> source, Set<String> known) {
    source.forEach(
        (key, value) -> {
          if (known.contains(key)
              || key.equals(CONFIG_PROVIDERS)
              || key.startsWith(CONFIG_PROVIDERS + ".")) {
            target.put(key, value);
          }
        });
  }
}
