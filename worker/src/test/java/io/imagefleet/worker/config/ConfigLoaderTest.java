package io.imagefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Map<String, String> MINIMAL =
      Map.of(
          "kafka.bootstrap.servers", "broker:9092",
          "upstream.base-url", "https://api.example.com",
          "upstream.api-key", "sk-test-123");

  @Test
  void fillsDefaultsForEverythingOptional() {
    WorkerConfig c = ConfigLoader.fromMap(MINIMAL, Map.of());
    assertThat(c.kafka().groupId()).isEqualTo("imagefleet-workers");
    assertThat(c.topics()).isEqualTo(TopicNames.defaults());
    assertThat(c.intake().maxInFlight()).isEqualTo(512);
    assertThat(c.routes()).extracting(RouteSettings::model).containsExactly("gpt-image-1.5");
    assertThat(c.routes().get(0).prices()).isEqualTo(RoutePrices.gptImage15());
    assertThat(c.polling().minInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void resultDownloadsAreCappedAndKeptOffPrivateAddressesByDefault() {
    UpstreamSettings u = ConfigLoader.fromMap(MINIMAL, Map.of()).upstream();
    assertThat(u.maxDownloadBytes()).isEqualTo(50L * 1024 * 1024);
    assertThat(u.maxConcurrentDownloads()).isEqualTo(16);
    assertThat(u.allowPrivateDownloads()).isFalse();

    UpstreamSettings local =
        ConfigLoader.fromMap(
                MINIMAL,
                Map.of(
                    "IMAGEFLEET_UPSTREAM_MAX_DOWNLOAD_BYTES", "1048576",
                    "IMAGEFLEET_UPSTREAM_MAX_CONCURRENT_DOWNLOADS", "2",
                    "IMAGEFLEET_UPSTREAM_ALLOW_PRIVATE_DOWNLOADS", "true"))
            .upstream();
    assertThat(local.maxDownloadBytes()).isEqualTo(1_048_576);
    assertThat(local.maxConcurrentDownloads()).isEqualTo(2);
    assertThat(local.allowPrivateDownloads()).isTrue();

    assertThatThrownBy(
            () ->
                ConfigLoader.fromMap(
                    MINIMAL, Map.of("IMAGEFLEET_UPSTREAM_MAX_DOWNLOAD_BYTES", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("upstream.max-download-bytes must be > 0, but was 0");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromMap(
                    MINIMAL, Map.of("IMAGEFLEET_UPSTREAM_ALLOW_PRIVATE_DOWNLOADS", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("upstream.allow-private-downloads must be true or false");
  }

  @Test
  void environmentOverridesTheFile() {
    WorkerConfig c =
        ConfigLoader.fromMap(
            MINIMAL,
            Map.of(
                "IMAGEFLEET_UPSTREAM_BASE_URL", "http://127.0.0.1:8080",
                "IMAGEFLEET_INTAKE_MAX_IN_FLIGHT", "64",
                "IMAGEFLEET_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));
    assertThat(c.upstream().baseUrl().toString()).isEqualTo("http://127.0.0.1:8080");
    assertThat(c.intake().maxInFlight()).isEqualTo(64);
    assertThat(c.kafka().clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void readsTheApiKeyFromAFile(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "sk-from-file\n");
    var values = new HashMap<>(MINIMAL);
    values.remove("upstream.api-key");
    values.put("upstream.api-key-file", key.toString());
    assertThat(ConfigLoader.fromMap(values, Map.of()).upstream().apiKey().reveal())
        .isEqualTo("sk-from-file");
  }

  @Test
  void readsOrderedRoutesWithPrices() {
    var values = new HashMap<>(MINIMAL);
    values.put("routes.1.model", "gpt-image-1");
    values.put("routes.1.price.image-output", "0.04");
    WorkerConfig c = ConfigLoader.fromMap(values, Map.of());
    assertThat(c.routes())
        .extracting(RouteSettings::model)
        .containsExactly("gpt-image-1.5", "gpt-image-1");
    assertThat(c.routes().get(1).prices().imageOutput()).isEqualByComparingTo("0.04");
  }

  @Test
  void namesTheKeyOfABadValue() {
    var values = new HashMap<>(MINIMAL);
    values.put("intake.max-in-flight", "0");
    assertThatThrownBy(() -> ConfigLoader.fromMap(values, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("intake.max-in-flight must be > 0, but was 0");
  }

  @Test
  void readsTheUnconfirmedSubmissionPolicy() {
    assertThat(ConfigLoader.fromMap(MINIMAL, Map.of()).upstream().onUnconfirmedSubmission())
        .isEqualTo(UpstreamSettings.UnconfirmedSubmission.RESUBMIT);
    var values = new HashMap<>(MINIMAL);
    values.put("upstream.unconfirmed-submission", "FAIL");
    assertThat(ConfigLoader.fromMap(values, Map.of()).upstream().onUnconfirmedSubmission())
        .isEqualTo(UpstreamSettings.UnconfirmedSubmission.FAIL);
    values.put("upstream.unconfirmed-submission", "maybe");
    assertThatThrownBy(() -> ConfigLoader.fromMap(values, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("upstream.unconfirmed-submission must be resubmit or fail");
  }

  @Test
  void saysHowToSetAMissingRequiredValue() {
    assertThatThrownBy(
            () -> ConfigLoader.fromMap(Map.of("kafka.bootstrap.servers", "b:9092"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("upstream.base-url must be set")
        .hasMessageContaining("IMAGEFLEET_UPSTREAM_BASE_URL");
  }

  @Test
  void rejectsAnUnreadableDuration() {
    var values = new HashMap<>(MINIMAL);
    values.put("polling.task-timeout", "soon");
    assertThatThrownBy(() -> ConfigLoader.fromMap(values, Map.of()))
        .hasMessage(
            "polling.task-timeout must be a duration like 500ms, 30s, 5m or PT30S, but was 'soon'");
  }

  @Test
  void neverShowsSecretsWhenPrinted() {
    var values = new HashMap<>(MINIMAL);
    values.put(
        "kafka.sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"hunter2\";");
    WorkerConfig c = ConfigLoader.fromMap(values, Map.of());
    assertThat(c.toString()).doesNotContain("sk-test-123").doesNotContain("hunter2");
    assertThat(c.kafka().redacted().toString()).doesNotContain("hunter2");
    assertThat(c.upstream().toString()).contains("[redacted]");
  }

  @Test
  void parsesDurationsInShortAndIsoForm() {
    assertThat(ConfigLoader.parseDuration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigLoader.parseDuration("k", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigLoader.parseDuration("k", "PT30S")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void readsOnlyTheStorageKeysOfAWorkersFileWithItsEnvironment(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("s3.secret"), "s3-secret\n");
    // A worker's file without its upstream settings: the rest need not be complete.
    Path file =
        Files.writeString(
            dir.resolve("worker.properties"),
            String.join(
                "\n",
                "kafka.bootstrap.servers=broker:9092",
                "storage.type=s3",
                "storage.s3.bucket=fleet-images",
                "storage.s3.prefix=prod/",
                "storage.s3.access-key-id=AKIAEXAMPLE",
                "storage.s3.secret-access-key-file=" + secret));

    StorageSettings storage =
        ConfigLoader.loadStorage(
            file, Map.of("IMAGEFLEET_STORAGE_S3_ENDPOINT", "http://127.0.0.1:9000"));

    assertThat(storage.type()).isEqualTo(StorageSettings.Type.S3);
    S3Settings s3 = storage.s3().orElseThrow();
    assertThat(s3.bucket()).isEqualTo("fleet-images");
    assertThat(s3.prefix()).isEqualTo("prod/");
    assertThat(s3.endpoint()).hasValue(URI.create("http://127.0.0.1:9000"));
    assertThat(s3.secretAccessKey().orElseThrow().reveal()).isEqualTo("s3-secret");
    assertThatThrownBy(
            () -> ConfigLoader.storageFromMap(Map.of("storage.s3.bukket", "x"), Map.of()))
        .hasMessageContaining("storage.s3.bucket");
  }
}
