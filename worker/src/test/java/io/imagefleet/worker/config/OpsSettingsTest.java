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

class OpsSettingsTest {
  private static final Map<String, String> MINIMAL =
      Map.of(
          "kafka.bootstrap.servers", "broker:9092",
          "upstream.base-url", "https://api.example.com",
          "upstream.api-key", "sk-test-123");

  @Test
  void defaultsServeOnPort9400WithHeartbeats() {
    OpsSettings ops = ConfigLoader.fromMap(MINIMAL, Map.of()).ops();
    assertThat(ops).isEqualTo(OpsSettings.defaults());
    assertThat(ops.port()).isEqualTo(9400);
    assertThat(ops.workersTopic()).isEqualTo("imagefleet.workers.v1");
    assertThat(ops.heartbeatsEnabled()).isTrue();
    assertThat(ops.bind()).as("loopback unless opened on purpose").isEqualTo("127.0.0.1");
    assertThat(ops.readTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ops.token()).isEmpty();
  }

  @Test
  void readsTheTokenInlineOrFromAFileAndNeverShowsIt(@TempDir Path dir) throws Exception {
    OpsSettings inline =
        ConfigLoader.fromMap(
                MINIMAL,
                Map.of(
                    "IMAGEFLEET_OPS_TOKEN", "ops-token-123", "IMAGEFLEET_OPS_READ_TIMEOUT", "2s"))
            .ops();
    assertThat(inline.token())
        .hasValueSatisfying(t -> assertThat(t.reveal()).isEqualTo("ops-token-123"));
    assertThat(inline.readTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(inline.toString()).doesNotContain("ops-token-123");

    Path file = Files.writeString(dir.resolve("token"), "file-token-456\n");
    var values = new HashMap<>(MINIMAL);
    values.put("ops.token-file", file.toString());
    assertThat(ConfigLoader.fromMap(values, Map.of()).ops().token())
        .hasValueSatisfying(t -> assertThat(t.reveal()).isEqualTo("file-token-456"));
  }

  @Test
  void readsEveryOpsKeyFromTheEnvironment() {
    OpsSettings ops =
        ConfigLoader.fromMap(
                MINIMAL,
                Map.of(
                    "IMAGEFLEET_OPS_PORT", "0",
                    "IMAGEFLEET_OPS_BIND", "127.0.0.1",
                    "IMAGEFLEET_OPS_ADVERTISED_URL", "http://worker-7.internal:9400",
                    "IMAGEFLEET_OPS_HEARTBEAT_INTERVAL", "0s",
                    "IMAGEFLEET_OPS_PROBE_INTERVAL", "2s",
                    "IMAGEFLEET_OPS_PROBE_TIMEOUT", "1500ms",
                    "IMAGEFLEET_TOPICS_WORKERS", "fleet.workers"))
            .ops();
    assertThat(ops.port()).isZero();
    assertThat(ops.bind()).isEqualTo("127.0.0.1");
    assertThat(ops.advertisedUrl()).contains(URI.create("http://worker-7.internal:9400"));
    assertThat(ops.heartbeatsEnabled()).isFalse();
    assertThat(ops.probeInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ops.probeTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(ops.workersTopic()).isEqualTo("fleet.workers");
  }

  @Test
  void namesTheKeyOfABadPort() {
    var values = new HashMap<>(MINIMAL);
    values.put("ops.port", "70000");
    assertThatThrownBy(() -> ConfigLoader.fromMap(values, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("ops.port must be between 0 and 65535, but was 70000");
  }

  @Test
  void namesTheKeyOfABadAdvertisedUrl() {
    var values = new HashMap<>(MINIMAL);
    values.put("ops.advertised-url", "worker-7:9400");
    assertThatThrownBy(() -> ConfigLoader.fromMap(values, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ops.advertised-url must be an http(s) URL");
  }

  @Test
  void mapsEnvironmentVariablesToTheirKeys() {
    assertThat(ConfigLoader.keyOfEnvironmentVariable("IMAGEFLEET_OPS_PORT")).contains("ops.port");
    assertThat(ConfigLoader.keyOfEnvironmentVariable("IMAGEFLEET_INTAKE_MAX_IN_FLIGHT"))
        .contains("intake.max-in-flight");
    assertThat(ConfigLoader.keyOfEnvironmentVariable("IMAGEFLEET_KAFKA_SASL_MECHANISM"))
        .contains("kafka.sasl.mechanism");
    assertThat(ConfigLoader.keyOfEnvironmentVariable("IMAGEFLEET_NO_SUCH_KEY")).isEmpty();
  }
}
