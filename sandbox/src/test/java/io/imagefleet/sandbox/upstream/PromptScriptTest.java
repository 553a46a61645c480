package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PromptScriptTest {

  @Test
  void promptWithoutMarkersScriptsNothing() {
    assertThat(PromptScript.parse("a cat in [brackets] and sim: words"))
        .isEqualTo(PromptScript.NONE);
    assertThat(PromptScript.NONE.isEmpty()).isTrue();
  }

  @Test
  void readsFailCode() {
    PromptScript script = PromptScript.parse("a cat [sim:fail=content_policy_violation]");
    assertThat(script.failCode()).contains("content_policy_violation");
    assertThat(script.createFault()).isEmpty();
  }

  @Test
  void readsCreateFaultWithCount() {
    assertThat(PromptScript.parse("[sim:create=503x2] a cat").createFault())
        .contains(new ScriptedFault(FaultKind.SERVICE_UNAVAILABLE, 2, OptionalInt.empty()));
  }

  @Test
  void countDefaultsToOne() {
    assertThat(PromptScript.parse("[sim:create=500]").createFault())
        .contains(new ScriptedFault(FaultKind.INTERNAL_ERROR, 1, OptionalInt.empty()));
  }

  @Test
  void retryAfterAppliesToScriptedFaults() {
    PromptScript script = PromptScript.parse("x [sim:create=429x1,retry-after=1] y");
    assertThat(script.createFault())
        .contains(new ScriptedFault(FaultKind.RATE_LIMITED, 1, OptionalInt.of(1)));
  }

  @Test
  void readsHangDurationAndQueryFaultsAcrossSeveralMarkers() {
    PromptScript script =
        PromptScript.parse("[sim:create=hangx1] a dog [sim:duration=3s, query=502x4]");
    assertThat(script.createFault())
        .contains(new ScriptedFault(FaultKind.HANG, 1, OptionalInt.empty()));
    assertThat(script.queryFault())
        .contains(new ScriptedFault(FaultKind.BAD_GATEWAY, 4, OptionalInt.empty()));
    assertThat(script.duration()).contains(Duration.ofSeconds(3));
  }

  @Test
  void acceptsMillisecondAndZeroDurations() {
    assertThat(PromptScript.parse("[sim:duration=250ms]").duration())
        .contains(Duration.ofMillis(250));
    assertThat(PromptScript.parse("[sim:duration=0s]").duration()).contains(Duration.ZERO);
  }

  @Test
  void rejectsUnknownKeysCodesAndFaults() {
    assertThatThrownBy(() -> PromptScript.parse("[sim:explode=1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("explode");
    assertThatThrownBy(() -> PromptScript.parse("[sim:fail=oops]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("oops");
    assertThatThrownBy(() -> PromptScript.parse("[sim:create=418x1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("418");
    assertThatThrownBy(() -> PromptScript.parse("[sim:create=503x0]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 1");
    assertThatThrownBy(() -> PromptScript.parse("[sim:duration=soon]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("soon");
    assertThatThrownBy(() -> PromptScript.parse("[sim:retry-after=-2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry-after");
    assertThatThrownBy(() -> PromptScript.parse("[sim:query=lost]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("create=lost");
    assertThat(PromptScript.parse("[sim:create=lostx2]").createFault())
        .contains(new ScriptedFault(FaultKind.LOST, 2, OptionalInt.empty()));
    assertThatThrownBy(() -> PromptScript.parse("[sim:create]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key=value");
  }
}
