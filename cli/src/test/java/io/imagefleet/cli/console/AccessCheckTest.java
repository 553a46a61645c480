package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.cli.console.AccessCheck.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessCheckTest {
  private static final String TOKEN = "a-token-of-24-characters";

  @Test
  void withoutATokenAnswersOnlyLoopbackNames() {
    AccessCheck open = new AccessCheck(Optional.empty());

    assertThat(open.check("127.0.0.1", null, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(open.check("localhost", null, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(open.check("[::1]", null, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(open.check("attacker.example", null, null)).isEqualTo(Verdict.NOT_LOOPBACK_HOST);
    assertThat(open.check(null, null, null)).isEqualTo(Verdict.NOT_LOOPBACK_HOST);
  }

  @Test
  void withATokenNeedsItAsBearerOrCookie() {
    AccessCheck guarded = new AccessCheck(Optional.of(TOKEN));

    assertThat(guarded.check("h", null, null)).isEqualTo(Verdict.NEEDS_TOKEN);
    assertThat(guarded.check("h", "Bearer " + TOKEN, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(guarded.check("h", "Bearer " + TOKEN + "x", null)).isEqualTo(Verdict.NEEDS_TOKEN);
    assertThat(guarded.check("h", null, guarded.cookieValue().orElseThrow()))
        .isEqualTo(Verdict.ALLOWED);
    // The cookie holds a digest, not the token.
    assertThat(guarded.cookieValue()).get().isNotEqualTo(TOKEN);
    assertThat(guarded.check("h", null, TOKEN)).isEqualTo(Verdict.NEEDS_TOKEN);
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
        Optional.empty());
  }
}
