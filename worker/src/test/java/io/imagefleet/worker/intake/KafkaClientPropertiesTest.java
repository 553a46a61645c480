package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.worker.config.ConfigException;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {
  private final WorkerConfig config =
      ConfigLoader.fromMap(
          Map.of(
              "worker.id", "w-1",
              "kafka.bootstrap.servers", "broker:9093",
              "kafka.security.protocol", "SASL_SSL",
              "kafka.sasl.mechanism", "SCRAM-SHA-512",
              "kafka.sasl.jaas.config",
                  "org.apache.kafka.common.security.scram.ScramLoginModule required "
                      + "username=\"fleet\" password=\"${dir:/run/secrets:kafka-password}\";",
              "kafka.config.providers", "dir",
              "kafka.config.providers.dir.class",
                  "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
              "kafka.ssl.truststore.location", "/etc/imagefleet/truststore.p12",
              "upstream.base-url", "https://api.example.com",
              "upstream.api-key", "sk-test"),
          Map.of());

  @Test
  void passesSecuritySettingsToEveryClient() {
    for (var props :
        List.of(
            KafkaClientProperties.consumer(config),
            KafkaClientProperties.producer(config),
            KafkaClientProperties.admin(config, "ops", Duration.ofSeconds(3)))) {
      assertThat(props)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("ssl.truststore.location", "/etc/imagefleet/truststore.p12")
          .containsKey("sasl.jaas.config");
    }
  }

  @Test
  void passesConfigProvidersSoSecretsCanComeFromFiles() {
    assertThat(KafkaClientProperties.consumer(config))
        .containsEntry("config.providers", "dir")
        .containsEntry(
            "config.providers.dir.class",
            "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
    assertThat(KafkaClientProperties.producer(config)).containsEntry("config.providers", "dir");
    assertThat(KafkaClientProperties.admin(config, "ops", Duration.ofSeconds(3)))
        .containsEntry("config.providers", "dir");
  }

  @Test
  void givesTheAdminClientItsOwnIdAndShortTimeouts() {
    var admin = KafkaClientProperties.admin(config, "ops", Duration.ofSeconds(3));
    assertThat(admin)
        .containsEntry("client.id", "w-1-ops")
        .containsEntry("request.timeout.ms", "3000")
        .containsEntry("default.api.timeout.ms", "3000")
        .doesNotContainKey("group.id");
  }

  @Test
  void theSharedProducerKeepsTheMetadataOfTopicsItWroteToForADay() {
    assertThat(KafkaClientProperties.producer(config))
        .containsEntry("metadata.max.idle.ms", String.valueOf(Duration.ofDays(1).toMillis()));
  }

  @Test
  void writesPublicTopicsInGzipByDefaultSoStockClientsOfEveryLanguageReadThem() {
    assertThat(KafkaClientProperties.producer(config)).containsEntry("compression.type", "gzip");
    assertThat(KafkaClientProperties.transactionalProducer(config))
        .containsEntry("compression.type", "gzip");
  }

  @Test
  void givesEachProducerTheMostReadableCodecOfTheTopicsItWrites() {
    WorkerConfig mixed =
        configWith(
            Map.of(
                "compression.events", "zstd",
                "compression.dead-letters", "none",
                "compression.callbacks", "lz4",
                "compression.heartbeats", "snappy"));
    // Progress events, callbacks records and heartbeats.
    assertThat(KafkaClientProperties.producer(mixed)).containsEntry("compression.type", "snappy");
    // Terminal events and dead letters.
    assertThat(KafkaClientProperties.transactionalProducer(mixed))
        .containsEntry("compression.type", "none");
  }

  @Test
  void refusesOneCodecForEveryProducerAndUnknownCodecs() {
    assertThatThrownBy(() -> configWith(Map.of("kafka.compression.type", "lz4")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("compression.events");
    assertThatThrownBy(() -> configWith(Map.of("compression.events", "brotli")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "compression.events must be one of none, gzip, snappy, lz4, zstd, but was brotli");
  }

  private static WorkerConfig configWith(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put("worker.id", "w-1");
    values.put("kafka.bootstrap.servers", "broker:9093");
    values.put("upstream.base-url", "https://api.example.com");
    values.put("upstream.api-key", "sk-test");
    return ConfigLoader.fromMap(values, Map.of());
  }
}
