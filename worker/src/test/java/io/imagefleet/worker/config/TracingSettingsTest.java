package io.imagefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {
  private static final Map<String, String> MINIMAL =
      Map.of(
          "kafka.bootstrap.servers", "broker:9092",
          "upstream.base-url", "https://api.example.com",
          "upstream.api-key", "sk-test-123");

  private static TracingSettings load(Map<String, String> more) {
    Map<String, String> values = new HashMap<>(MINIMAL);
    values.putAll(more);
    return ConfigLoader.fromMap(values, Map.of()).tracing();
  }

  @Test
  void isOffUnlessAnEndpointIsSet() {
    TracingSettings tracing = load(Map.of());

    assertThat(tracing).isEqualTo(TracingSettings.defaults());
    assertThat(tracing.enabled()).isFalse();
    assertThat(tracing.serviceName()).isEqualTo("imagefleet-worker");
    assertThat(tracing.sampleRatio()).isEqualTo(1.0);
    assertThat(load(Map.of("tracing.otlp-endpoint", " ")).enabled()).isFalse();
  }

  @Test
  void readsTheCollectorAndTheSampling() {
    TracingSettings tracing =
        load(
            Map.of(
                "tracing.otlp-endpoint", "http://otel-collector:4318/v1/traces",
                "tracing.service-name", "fleet-eu",
                "tracing.sample-ratio", "0.25"));

    assertThat(tracing.enabled()).isTrue();
    assertThat(tracing.otlpEndpoint()).contains(URI.create("http://otel-collector:4318/v1/traces"));
    assertThat(tracing.serviceName()).isEqualTo("fleet-eu");
    assertThat(tracing.sampleRatio()).isEqualTo(0.25);
  }

  @Test
  void readsTheCollectorsHeadersAsSecrets() {
    TracingSettings tracing =
        load(
            Map.of(
                "tracing.otlp-endpoint", "https://api.collector.example/v1/traces",
                "tracing.otlp-headers", "authorization=Bearer%20k+ey/=, x-team = fleet"));

    assertThat(tracing.otlpHeaders()).containsOnlyKeys("authorization", "x-team");
    assertThat(tracing.otlpHeaders().get("authorization").reveal()).isEqualTo("Bearer k+ey/=");
    assertThat(tracing.otlpHeaders().get("x-team").reveal()).isEqualTo("fleet");
    assertThat(tracing.toString()).doesNotContain("k+ey");
    assertThat(Redaction.isSecretKey("tracing.otlp-headers")).isTrue();
    assertThatThrownBy(() -> load(Map.of("tracing.otlp-headers", "authorization Bearer secret1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("entry 1 is not name=value")
        .hasMessageNotContaining("secret1");
    assertThatThrownBy(() -> load(Map.of("tracing.otlp-headers", "a=b%zzsecret2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("broken %-escape")
        .hasMessageNotContaining("secret2");
  }

  @Test
  void refusesAnEndpointWithCredentialsOrAnotherScheme() {
    assertThatThrownBy(
            () -> load(Map.of("tracing.otlp-endpoint", "https://user:pw@collector/v1/traces")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracing.otlp-endpoint must not carry credentials")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> load(Map.of("tracing.otlp-endpoint", "grpc://collector:4317")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracing.otlp-endpoint must be an http(s) URL");
  }

  @Test
  void refusesASampleRatioOutsideZeroToOne() {
    assertThatThrownBy(() -> load(Map.of("tracing.sample-ratio", "1.5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tracing.sample-ratio must be between 0.0 and 1.0, but was 1.5");
  }
}
