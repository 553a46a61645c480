package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.cli.console.AccessCheck.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessCheckTest {
  private static final String TOKEN = "a-token-of-24-characters";

  @Test
  void withoutATokenAnswersOnlyLoopbackNames() {
    AccessCheck open = new AccessCheck(Optional.empty(), Map.of());

    assertThat(open.check("127.0.0.1", null, null).verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(open.check("localhost", null, null).verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(open.check("[::1]", null, null).verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(open.check("attacker.example", null, null).verdict())
        .isEqualTo(Verdict.NOT_LOOPBACK_HOST);
    assertThat(open.check(null, null, null).verdict()).isEqualTo(Verdict.NOT_LOOPBACK_HOST);
  }

  @Test
  void withATokenNeedsItAsBearerOrCookie() {
    AccessCheck guarded = new AccessCheck(Optional.of(TOKEN), Map.of());

    assertThat(guarded.check("h", null, null).verdict()).isEqualTo(Verdict.NEEDS_TOKEN);
    assertThat(guarded.check("h", "Bearer " + TOKEN, null).verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(guarded.check("h", "Bearer " + TOKEN + "x", null).verdict())
        .isEqualTo(Verdict.NEEDS_TOKEN);
    assertThat(guarded.check("h", null, guarded.cookieFor(TOKEN).orElseThrow()).verdict())
        .isEqualTo(Verdict.ALLOWED);
    // The cookie holds a digest, not the token.
    assertThat(guarded.cookieFor(TOKEN)).get().isNotEqualTo(TOKEN);
    assertThat(guarded.cookieFor(TOKEN + "x")).isEmpty();
    assertThat(guarded.check("h", null, TOKEN).verdict()).isEqualTo(Verdict.NEEDS_TOKEN);
  }

  @Test
  void aTenantsTokenAdmitsThatTenantOnly() {
    String teamA = "team-a-token-of-24-chars";
    AccessCheck guarded = new AccessCheck(Optional.of(TOKEN), Map.of("team-a", teamA));

    AccessCheck.Access operator = guarded.check("h", "Bearer " + TOKEN, null);
    assertThat(operator.viewer().isOperator()).isTrue();
    AccessCheck.Access tenant = guarded.check("h", "Bearer " + teamA, null);
    assertThat(tenant.verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(tenant.viewer()).isEqualTo(Viewer.tenant("team-a"));
    assertThat(tenant.viewer().sees("team-a")).isTrue();
    assertThat(tenant.viewer().sees("team-b")).isFalse();
    assertThat(guarded.check("h", null, guarded.cookieFor(teamA).orElseThrow()).viewer())
        .isEqualTo(Viewer.tenant("team-a"));
    assertThat(guarded.cookieFor(teamA)).isNotEqualTo(guarded.cookieFor(TOKEN));
  }

  @Test
  void checksTenantTokens() {
    assertThatThrownBy(() -> settings("0.0.0.0", Optional.empty(), Map.of("team-a", "short")))
        .hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> settings("0.0.0.0", Optional.of(TOKEN), Map.of("team-a", TOKEN)))
        .hasMessageContaining("also another viewer's");
    assertThatThrownBy(() -> settings("0.0.0.0", Optional.empty(), Map.of("Team A", TOKEN)))
        .hasMessageContaining("not a tenant name");
    assertThat(settings("0.0.0.0", Optional.empty(), Map.of("team-a", TOKEN)).tenantTokens())
        .as("tenants' tokens alone may guard a console bound beyond loopback")
        .containsEntry("team-a", TOKEN);
  }

  @Test
  void refusesToListenBeyondLoopbackWithoutAToken() {
    assertThatThrownBy(() -> settings("0.0.0.0", Optional.empty()))
        .hasMessageContaining("not a loopback address")
        .hasMessageContaining("IMAGEFLEET_CONSOLE_TOKEN");
    assertThatThrownBy(() -> settings("0.0.0.0", Optional.of("short")))
        .hasMessageContaining("at least 16 characters");
    assertThat(settings("0.0.0.0", Optional.of(TOKEN)).token()).contains(TOKEN);
    assertThat(settings("127.0.0.1", Optional.of("  ")).token()).isEmpty();
  }

  private static ConsoleSettings settings(String bind, Optional<String> token) {
    return settings(bind, token, Map.of());
  }

  private static ConsoleSettings settings(
      String bind, Optional<String> token, Map<String, String> tenantTokens) {
    return new ConsoleSettings(
        bind,
        0,
        token,
        10,
        10,
        10,
        "e",
        "w",
        "d",
        "g",
        Path.of("data"),
        "b",
        "c",
        Duration.ofSeconds(30),
        Optional.empty(),
        tenantTokens,
        ActionSettings.ofDefaults(true));
  }
}
