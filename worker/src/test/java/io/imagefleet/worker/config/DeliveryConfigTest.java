package io.imagefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.contracts.ImageQuality;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage, cost, callback and budget settings: defaults, overrides and errors that name the key.
 */
class DeliveryConfigTest {
  private static final Map<String, String> MINIMAL =
      Map.of(
          "kafka.bootstrap.servers", "broker:9092",
          "upstream.base-url", "https://api.example.com",
          "upstream.api-key", "sk-test-123");

  private static WorkerConfig load(Map<String, String> values, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(MINIMAL);
    all.putAll(values);
    return ConfigLoader.fromMap(all, env);
  }

  @Test
  void defaultsToALocalStoreThePublishedTokenTableSafeCallbacksAndNoBudgets() {
    WorkerConfig c = load(Map.of(), Map.of());
    assertThat(c.storage().type()).isEqualTo(StorageSettings.Type.LOCAL);
    assertThat(c.storage().s3()).isEmpty();
    assertThat(c.costs()).isEqualTo(CostSettings.published());
    assertThat(c.costs().outputTokens(ImageQuality.HIGH, 1024, 1536)).isEqualTo(6240);
    assertThat(c.costs().referenceImageTokens()).isEqualTo(1528);
    assertThat(c.callbacks().topic()).isEqualTo("imagefleet.callbacks.v1");
    assertThat(c.callbacks().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.callbacks().owedTopic()).isEqualTo("imagefleet.callbacks-owed.v1");
    assertThat(c.callbacks().retrySchedule())
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));
    assertThat(c.callbacks().tenantConcurrency()).isLessThan(c.callbacks().threads());
    assertThat(c.callbacks().allowPrivateDestinations()).isFalse();
    assertThat(c.budgets().tenants()).isEmpty();
    assertThat(c.budgets().topic()).isEqualTo("imagefleet.budgets.v1");
  }

  @Test
  void readsAnS3StoreAndNeverShowsItsSecretKey() {
    WorkerConfig c =
        load(
            Map.of(
                "storage.type",
                "s3",
                "storage.s3.endpoint",
                "http://127.0.0.1:9000",
                "storage.s3.bucket",
                "images",
                "storage.s3.prefix",
                "prod/",
                "storage.s3.path-style",
                "true",
                "storage.s3.access-key-id",
                "AKIAEXAMPLE"),
            Map.of("IMAGEFLEET_STORAGE_S3_SECRET_ACCESS_KEY", "s3-secret-value"));
    S3Settings s3 = c.storage().s3().orElseThrow();
    assertThat(s3.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(s3.bucket()).isEqualTo("images");
    assertThat(s3.prefix()).isEqualTo("prod/");
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.secretAccessKey().orElseThrow().reveal()).isEqualTo("s3-secret-value");
    assertThat(c.toString()).doesNotContain("s3-secret-value");
  }

  @Test
  void namesTheKeyOfAMissingOrBadStorageSetting() {
    assertThatThrownBy(() -> load(Map.of("storage.type", "s3"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.s3.bucket must be set");
    assertThatThrownBy(() -> load(Map.of("storage.type", "ftp"), Map.of()))
        .hasMessage("storage.type must be local or s3, but was 'ftp'");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "storage.type",
                        "s3",
                        "storage.s3.bucket",
                        "b",
                        "storage.s3.access-key-id",
                        "AKIA"),
                    Map.of()))
        .hasMessageContaining(
            "storage.s3.access-key-id and storage.s3.secret-access-key must be set together");
  }

  @Test
  void overridesOneEntryOfTheOutputTokenTableAndRefusesUnknownEntries() {
    WorkerConfig c = load(Map.of("cost.output-tokens.medium.1536x1024", "1600"), Map.of());
    assertThat(c.costs().outputTokens(ImageQuality.MEDIUM, 1536, 1024)).isEqualTo(1600);
    assertThat(c.costs().outputTokens(ImageQuality.MEDIUM, 1024, 1024)).isEqualTo(1056);
    assertThat(
            load(Map.of(), Map.of("IMAGEFLEET_COST_OUTPUT_TOKENS_LOW_1024X1024", "300"))
                .costs()
                .outputTokens(ImageQuality.LOW, 1024, 1024))
        .isEqualTo(300);
    assertThatThrownBy(() -> load(Map.of("cost.output-tokens.ultra.1024x1024", "5"), Map.of()))
        .hasMessageContaining("cost.output-tokens.ultra.1024x1024 is not a known entry");
    assertThatThrownBy(() -> load(Map.of("cost.output-tokens.low.1024x1024", "many"), Map.of()))
        .hasMessage("cost.output-tokens.low.1024x1024 must be a whole number, but was 'many'");
  }

  @Test
  void readsTenantSecretsFromTheFileTheEnvironmentAndSecretFilesAndRedactsThem(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("ops-secret"), "ops-team-secret-from-file\n");
    WorkerConfig c =
        load(
            Map.of(
                "callbacks.secret.catalog",
                "catalog-secret-0123456789",
                "callbacks.secret-file.ops",
                file.toString()),
            Map.of("IMAGEFLEET_CALLBACKS_SECRET_MY_TEAM", "my-team-secret-0123456789"));
    assertThat(keys(c.callbacks().secretsOf("catalog")))
        .containsExactly("catalog-secret-0123456789");
    assertThat(keys(c.callbacks().secretsOf("ops"))).containsExactly("ops-team-secret-from-file");
    assertThat(keys(c.callbacks().secretsOf("my-team")))
        .containsExactly("my-team-secret-0123456789");
    assertThat(c.callbacks().secretsOf("nobody")).isEmpty();
    assertThat(c.toString())
        .doesNotContain("catalog-secret-0123456789", "ops-team-secret", "my-team-secret");
    assertThat(Redaction.isSecretKey("callbacks.secret.catalog")).isTrue();
  }

  private static List<String> keys(List<WebhookSecret> secrets) {
    return secrets.stream().map(s -> new String(s.key(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void readsSeveralStandardWebhooksSecretsPerTenantInTheirOrder(@TempDir Path dir)
      throws Exception {
    byte[] newer = new byte[32];
    byte[] older = new byte[24];
    Arrays.fill(newer, (byte) 7);
    Arrays.fill(older, (byte) 9);
    String newerText = "whsec_" + Base64.getEncoder().encodeToString(newer);
    String olderText = "whsec_" + Base64.getEncoder().encodeToString(older);
    Path file = Files.writeString(dir.resolve("ops"), newerText + "\n" + olderText + "\n");
    WorkerConfig c =
        load(
            Map.of(
                "callbacks.secret.catalog",
                newerText + ", " + olderText,
                "callbacks.secret-file.ops",
                file.toString()),
            Map.of());
    for (String tenant : List.of("catalog", "ops")) {
      assertThat(c.callbacks().secretsOf(tenant))
          .extracting(WebhookSecret::key)
          .containsExactly(newer, older);
    }
    assertThat(c.toString()).doesNotContain(newerText.substring(6), olderText.substring(6));
  }

  @Test
  void refusesAStandardWebhooksSecretThatIsNotBase64OrHasTooFewBytesWithoutQuotingIt() {
    assertThatThrownBy(
            () -> load(Map.of("callbacks.secret.catalog", "whsec_not*base64*at*all"), Map.of()))
        .hasMessage(
            "callbacks.secret.catalog must be whsec_ followed by base64, but was not base64");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "callbacks.secret.catalog",
                        "whsec_" + Base64.getEncoder().encodeToString(new byte[16])),
                    Map.of()))
        .hasMessage("callbacks.secret.catalog must hold 24 to 64 bytes after whsec_, but held 16");
  }

  @Test
  void refusesAShortCallbackSecretAndResolveEntriesThatAreNotAddresses() {
    assertThatThrownBy(() -> load(Map.of("callbacks.secret.catalog", "short"), Map.of()))
        .hasMessage("callbacks.secret.catalog must be at least 16 characters, but was shorter");
    assertThatThrownBy(
            () -> load(Map.of("callbacks.resolve.hooks.example.com", "evil.example.net"), Map.of()))
        .hasMessageContaining("callbacks.resolve.hooks.example.com must list IP addresses");
    assertThat(
            load(Map.of("callbacks.resolve.Hooks.Example.com", "127.0.0.1, ::1"), Map.of())
                .callbacks()
                .resolve()
                .get("hooks.example.com"))
        .hasSize(2);
  }

  @Test
  void readsBudgetsPerTenantFromTheFileAndTheEnvironment() {
    WorkerConfig c =
        load(
            Map.of("budgets.catalog.daily-usd", "50", "budgets.catalog.monthly-usd", "900.50"),
            Map.of("IMAGEFLEET_BUDGETS_MY_TEAM_MONTHLY_USD", "10"));
    assertThat(c.budgets().of("catalog").orElseThrow().dailyUsd())
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("50"));
    assertThat(c.budgets().of("catalog").orElseThrow().monthlyUsd())
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("900.50"));
    assertThat(c.budgets().of("my-team").orElseThrow().dailyUsd()).isEmpty();
    assertThat(c.budgets().of("my-team").orElseThrow().monthlyUsd())
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("10"));
    assertThat(c.budgets().of("other")).isEmpty();
    assertThat(c.budgets().of("my_team")).isEmpty();
  }

  @Test
  void refusesTenantNamesThatAreNotCanonical() {
    assertThatThrownBy(() -> load(Map.of("budgets.my_team.daily-usd", "5"), Map.of()))
        .hasMessageContaining("budgets.my_team.daily-usd names tenant 'my_team'");
    assertThatThrownBy(
            () -> load(Map.of("callbacks.secret.Team-A", "team-a-secret-0123456789"), Map.of()))
        .hasMessageContaining("callbacks.secret.Team-A names tenant 'Team-A'");
    assertThatThrownBy(() -> load(Map.of("tenants.allowed", "catalog,ops_team"), Map.of()))
        .hasMessageContaining("tenants.allowed names tenant 'ops_team'");
  }

  @Test
  void readsTenantRulesFromTheFileAndTheEnvironment() {
    WorkerConfig c =
        load(
            Map.of(
                "tenants.allowed",
                "catalog, ops",
                "tenants.events-per-tenant",
                "true",
                "tenants.catalog.callback-prefixes",
                "https://hooks.example.com/catalog/"),
            Map.of(
                "IMAGEFLEET_TENANTS_MY_TEAM_CALLBACK_PREFIXES",
                "https://a.example.com/,https://b.example.com/x/"));
    TenantSettings t = c.tenants();
    assertThat(t.allowed()).containsExactlyInAnyOrder("catalog", "ops");
    assertThat(t.eventsPerTenant()).isTrue();
    assertThat(t.callbackPrefixesOf("catalog"))
        .contains(List.of("https://hooks.example.com/catalog/"));
    assertThat(t.callbackPrefixesOf("my-team"))
        .contains(List.of("https://a.example.com/", "https://b.example.com/x/"));
    assertThat(t.callbackPrefixesOf("ops")).isEmpty();
    assertThat(t.topics().jobs("ops")).isEqualTo("imagefleet.tenant.ops.jobs.v1");
  }

  @Test
  void setsNoTenantRulesByDefault() {
    TenantSettings t = load(Map.of(), Map.of()).tenants();
    assertThat(t.allowed()).isEmpty();
    assertThat(t.eventsPerTenant()).isFalse();
    assertThat(t.callbackPrefixes()).isEmpty();
  }

  @Test
  void namesTheKeyOfABadBudget() {
    assertThatThrownBy(() -> load(Map.of("budgets.catalog.daily", "5"), Map.of()))
        .hasMessageStartingWith(
            "budgets.catalog.daily is not a configuration key: did you mean"
                + " budgets.catalog.daily-usd?");
    assertThatThrownBy(() -> load(Map.of("budgets.catalog.daily-usd", "-1"), Map.of()))
        .hasMessage("budgets.catalog.daily-usd must be > 0, but was -1");
    assertThatThrownBy(() -> load(Map.of("budgets.catalog.daily-usd", "lots"), Map.of()))
        .hasMessage("budgets.catalog.daily-usd must be a decimal number of USD, but was 'lots'");
  }
}
