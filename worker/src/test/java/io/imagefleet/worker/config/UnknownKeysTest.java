package io.imagefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnknownKeysTest {
  private static final Map<String, String> MINIMAL =
      Map.of(
          "kafka.bootstrap.servers", "broker:9092",
          "upstream.base-url", "https://api.example.com",
          "upstream.api-key", "sk-test-123");

  private static Map<String, String> minimalWith(String key, String value) {
    Map<String, String> values = new HashMap<>(MINIMAL);
    values.put(key, value);
    return values;
  }

  @Test
  void refusesAMistypedKeyAndNamesTheOneMeant() {
    assertThatThrownBy(
            () -> ConfigLoader.fromMap(minimalWith("intake.max-inflight", "64"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "intake.max-inflight is not a configuration key: did you mean intake.max-in-flight?");
  }

  @Test
  void refusesAKeyCloseToNoneWithoutAGuess() {
    assertThatThrownBy(() -> ConfigLoader.fromMap(minimalWith("colour.theme", "dark"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("colour.theme is not a configuration key (every key: docs/configuration.md)");
  }

  @Test
  void namesEveryUnknownKeyAtOnce() {
    Map<String, String> values = minimalWith("intake.max-inflight", "64");
    values.put("polling.min-intervall", "2s");
    assertThatThrownBy(() -> ConfigLoader.fromMap(values, Map.of()))
        .hasMessageContaining("intake.max-inflight is not a configuration key")
        .hasMessageContaining("did you mean polling.min-interval?");
  }

  @Test
  void recognisesKeysNamedAfterARouteATenantAHostOrAKafkaProperty() {
    Map<String, String> values = new HashMap<>(MINIMAL);
    values.put("routes.1.model", "gpt-image-1.5-lite");
    values.put("routes.1.price.per-image", "0.01");
    values.put("callbacks.secret.catalog", "a-secret-of-sixteen-chars");
    values.put("callbacks.resolve.hooks.example.com", "203.0.113.7");
    values.put("budgets.catalog.daily-usd", "5");
    values.put("cost.output-tokens.low.1024x1024", "300");
    values.put("kafka.security.protocol", "PLAINTEXT");
    WorkerConfig c = ConfigLoader.fromMap(values, Map.of());
    assertThat(c.routes()).hasSize(2);
  }

  @Test
  void suggestsTheKeyOfTheSameRouteForAMistypedRouteKey() {
    assertThatThrownBy(() -> ConfigLoader.fromMap(minimalWith("routes.0.rate-limt", "2"), Map.of()))
        .hasMessageStartingWith(
            "routes.0.rate-limt is not a configuration key: did you mean routes.0.rate-limit?");
  }

  @Test
  void refusesAMistypedVariableOfTheWorkersAndLeavesOthersAlone() {
    assertThatThrownBy(
            () ->
                ConfigLoader.fromMap(
                    MINIMAL, Map.of("IMAGEFLEET_INTAKE_MAX_INFLIGHT", "64", "PATH", "/bin")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "IMAGEFLEET_INTAKE_MAX_INFLIGHT sets no configuration key: did you mean"
                + " IMAGEFLEET_INTAKE_MAX_IN_FLIGHT?");
    assertThatThrownBy(
            () -> ConfigLoader.fromMap(MINIMAL, Map.of("IMAGEFLEET_STORAGE_COLOUR", "blue")))
        .hasMessageStartingWith("IMAGEFLEET_STORAGE_COLOUR sets no configuration key");

    WorkerConfig c =
        ConfigLoader.fromMap(
            MINIMAL,
            Map.of(
                "IMAGEFLEET_LOG_FORMAT", "json",
                "IMAGEFLEET_JAVA_OPTS", "-Xmx1g",
                "IMAGEFLEET_INTAKE_MAX_IN_FLIGHT", "64",
                "IMAGEFLEET_KAFKA_SASL_MECHANISM", "PLAIN",
                "IMAGEFLEET_CALLBACKS_SECRET_CATALOG", "a-secret-of-sixteen-chars",
                "IMAGEFLEET_BUDGETS_CATALOG_DAILY_USD", "5"));
    assertThat(c.intake().maxInFlight()).isEqualTo(64);
  }

  @Test
  void configuresARouteFromTheEnvironment() {
    WorkerConfig c =
        ConfigLoader.fromMap(
            MINIMAL,
            Map.of(
                "IMAGEFLEET_ROUTES_1_MODEL", "gpt-image-1.5-lite",
                "IMAGEFLEET_ROUTES_1_PRICE_PER_IMAGE", "0.01"));
    assertThat(c.routes()).extracting(RouteSettings::model).contains("gpt-image-1.5-lite");
    assertThatThrownBy(
            () -> ConfigLoader.fromMap(MINIMAL, Map.of("IMAGEFLEET_ROUTES_1_MODLE", "x")))
        .hasMessageStartingWith("IMAGEFLEET_ROUTES_1_MODLE sets no configuration key");
  }

  @Test
  void effectiveValuesListEveryKeyWithItsDefaultAndWhatIsSet(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker.properties");
    Files.writeString(
        file,
        "kafka.bootstrap.servers=broker:9092\n"
            + "upstream.base-url=https://api.example.com\n"
            + "upstream.api-key=sk-live-do-not-show\n"
            + "callbacks.secret.catalog=whsec-do-not-show\n");
    var values =
        ConfigLoader.effectiveValues(file, Map.of("IMAGEFLEET_INTAKE_MAX_IN_FLIGHT", "64"));
    assertThat(values)
        .containsEntry("intake.max-in-flight", "64")
        .containsEntry("intake.poll-timeout", "50ms")
        .containsEntry("upstream.base-url", "https://api.example.com")
        .containsEntry("callbacks.secret.catalog", "whsec-do-not-show")
        .containsEntry("storage.s3.bucket", "");
    assertThat(new java.util.ArrayList<>(values.keySet())).isSorted();
  }

  @Test
  void redactsSecretsButNotCountsOfTokens() {
    assertThat(Redaction.isSecretKey("upstream.api-key")).isTrue();
    assertThat(Redaction.isSecretKey("ops.token")).isTrue();
    assertThat(Redaction.isSecretKey("kafka.sasl.jaas.config")).isTrue();
    assertThat(Redaction.isSecretKey("kafka.ssl.key.password")).isTrue();
    assertThat(Redaction.isSecretKey("storage.s3.secret-access-key")).isTrue();
    assertThat(Redaction.isSecretKey("callbacks.ed25519-secret.catalog")).isTrue();
    assertThat(Redaction.isSecretKey("cost.output-tokens.low.1024x1024")).isFalse();
    assertThat(Redaction.isSecretKey("routes.0.prompt-max-tokens")).isFalse();
    assertThat(Redaction.isSecretKey("storage.s3.access-key-id")).isFalse();
  }
}
