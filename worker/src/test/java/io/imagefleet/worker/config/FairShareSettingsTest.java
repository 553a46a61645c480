package io.imagefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.worker.config.FairShareSettings.TenantShare;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Fair share keys: defaults, per-tenant values from the file and the environment, errors. */
class FairShareSettingsTest {
  private static final Map<String, String> MINIMAL =
      Map.of(
          "kafka.bootstrap.servers", "broker:9092",
          "upstream.base-url", "https://api.example.com",
          "upstream.api-key", "sk-test-123");

  private static FairShareSettings load(Map<String, String> values, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(MINIMAL);
    all.putAll(values);
    return ConfigLoader.fromMap(all, env).tenants().shares();
  }

  @Test
  void sharesFairlyByDefaultWithEveryTenantOfWeightOne() {
    FairShareSettings s = load(Map.of(), Map.of());

    assertThat(s.enabled()).isTrue();
    assertThat(s.urgentShare()).isEqualTo(0.5);
    assertThat(s.sharedTopicWeight()).isEqualTo(1);
    assertThat(s.of("anyone")).isEqualTo(TenantShare.DEFAULT);
  }

  @Test
  void readsEachTenantsWeightUrgencyAndCaps() {
    FairShareSettings s =
        load(
            Map.of(
                "tenants.fair-share", "true",
                "tenants.urgent-share", "0.25",
                "tenants.shared-topic-weight", "2",
                "tenants.catalog.weight", "3",
                "tenants.catalog.max-in-flight", "100",
                "tenants.marketing.urgent", "true",
                "tenants.marketing.max-creations-per-second", "2.5"),
            Map.of());

    assertThat(s.urgentShare()).isEqualTo(0.25);
    assertThat(s.sharedTopicWeight()).isEqualTo(2);
    assertThat(s.of("catalog"))
        .isEqualTo(new TenantShare(3, false, OptionalInt.of(100), OptionalDouble.empty()));
    assertThat(s.of("marketing"))
        .isEqualTo(new TenantShare(1, true, OptionalInt.empty(), OptionalDouble.of(2.5)));
  }

  @Test
  void readsTenantKeysFromTheEnvironmentWithUnderscoresForDashes() {
    FairShareSettings s =
        load(
            Map.of(),
            Map.of(
                "IMAGEFLEET_TENANTS_TEAM_A_WEIGHT", "4",
                "IMAGEFLEET_TENANTS_TEAM_A_MAX_IN_FLIGHT", "7",
                "IMAGEFLEET_TENANTS_TEAM_B_URGENT", "true",
                "IMAGEFLEET_TENANTS_TEAM_B_MAX_CREATIONS_PER_SECOND", "1",
                "IMAGEFLEET_TENANTS_SHARED_TOPIC_WEIGHT", "5",
                "IMAGEFLEET_TENANTS_FAIR_SHARE", "false"));

    assertThat(s.of("team-a"))
        .isEqualTo(new TenantShare(4, false, OptionalInt.of(7), OptionalDouble.empty()));
    assertThat(s.of("team-b"))
        .isEqualTo(new TenantShare(1, true, OptionalInt.empty(), OptionalDouble.of(1)));
    assertThat(s.sharedTopicWeight())
        .as("a key of its own, not the weight of a tenant called shared-topic")
        .isEqualTo(5);
    assertThat(s.tenants()).doesNotContainKey("shared-topic");
    assertThat(s.enabled()).isFalse();
  }

  @Test
  void namesTheKeyOfABadValue() {
    assertThatThrownBy(() -> load(Map.of("tenants.catalog.weight", "0"), Map.of()))
        .hasMessage("tenants.catalog.weight must be a positive number, but was 0.0");
    assertThatThrownBy(() -> load(Map.of("tenants.catalog.weight", "heavy"), Map.of()))
        .hasMessage("tenants.catalog.weight must be a number, but was 'heavy'");
    assertThatThrownBy(() -> load(Map.of("tenants.catalog.max-in-flight", "0"), Map.of()))
        .hasMessage("tenants.catalog.max-in-flight must be > 0, but was 0");
    assertThatThrownBy(
            () -> load(Map.of("tenants.catalog.max-creations-per-second", "-1"), Map.of()))
        .hasMessage(
            "tenants.catalog.max-creations-per-second must be a positive number, but was -1.0");
    assertThatThrownBy(() -> load(Map.of("tenants.catalog.urgent", "yes"), Map.of()))
        .hasMessage("tenants.catalog.urgent must be true or false, but was 'yes'");
    assertThatThrownBy(() -> load(Map.of("tenants.urgent-share", "1"), Map.of()))
        .hasMessageStartingWith("tenants.urgent-share must be above 0 and below 1");
    assertThatThrownBy(() -> load(Map.of("tenants.shared-topic-weight", "-2"), Map.of()))
        .hasMessage("tenants.shared-topic-weight must be a positive number, but was -2.0");
    assertThatThrownBy(() -> load(Map.of("tenants.Team_A.weight", "2"), Map.of()))
        .hasMessageContaining("which is not a tenant name");
    assertThatThrownBy(() -> load(Map.of("tenants.catalog.wieght", "2"), Map.of()))
        .hasMessageStartingWith("tenants.catalog.wieght is not a configuration key");
  }
}
