package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActionGuardTest {
  private static final String JSON = "application/json";

  @Test
  void letsThePagesOwnPostThrough() {
    assertThat(
            ActionGuard.refusal(
                "127.0.0.1:9480", "http://127.0.0.1:9480", "same-origin", JSON, "1"))
        .isEmpty();
    assertThat(ActionGuard.refusal("localhost:9480", null, null, JSON + "; charset=utf-8", "1"))
        .isEmpty();
  }

  @Test
  void refusesWhatAnotherSiteCouldMakeABrowserSend() {
    assertThat(ActionGuard.refusal("localhost:9480", null, null, JSON, null))
        .hasValueSatisfying(r -> assertThat(r).contains(ActionGuard.HEADER));
    assertThat(ActionGuard.refusal("localhost:9480", null, null, "text/plain", "1"))
        .hasValueSatisfying(r -> assertThat(r).contains("application/json"));
    assertThat(ActionGuard.refusal("localhost:9480", "https://evil.example", null, JSON, "1"))
        .hasValueSatisfying(r -> assertThat(r).contains("evil.example"));
    assertThat(ActionGuard.refusal("localhost:9480", "null", null, JSON, "1")).isPresent();
    assertThat(ActionGuard.refusal("localhost:9480", null, "cross-site", JSON, "1")).isPresent();
  }

  @Test
  void actionsAreOnByDefaultOnlyOnLoopback() {
    assertThat(ActionSettings.enabled("127.0.0.1", false, false)).isTrue();
    assertThat(ActionSettings.enabled("0.0.0.0", false, false)).isFalse();
    assertThat(ActionSettings.enabled("0.0.0.0", false, true)).isTrue();
    assertThat(ActionSettings.enabled("127.0.0.1", true, false)).isFalse();
    assertThatThrownBy(() -> ActionSettings.enabled("127.0.0.1", true, true))
        .hasMessageContaining("--read-only and --allow-actions");
  }
}
