package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

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
}
