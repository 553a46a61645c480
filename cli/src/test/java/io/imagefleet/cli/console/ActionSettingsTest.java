package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActionSettingsTest {

  @Test
  void actionsAreOnByDefaultOnlyOnLoopback() {
    assertThat(ActionSettings.enabled("127.0.0.1", false, false)).isTrue();
    assertThat(ActionSettings.enabled("0.0.0.0", false, false)).isFalse();
    assertThat(ActionSettings.enabled("0.0.0.0", false, true)).isTrue();
    assertThat(ActionSettings.enabled("127.0.0.1", true, false)).isFalse();
    assertThatThrownBy(() -> ActionSettings.enabled("127.0.0.1", true, true))
        .hasMessageContaining("--read-only and --allow-actions");
  }

  @Test
  void theActionLogKeepsTheNewestFirstAndNoMoreThanItsBound() {
    ActionLog log = new ActionLog(2);
    for (int i = 0; i < 3; i++) {
      log.add(
          new ActionRecord(
              ActionRecord.SCHEMA_VERSION,
              "a" + i,
              ActionRecord.CANCEL,
              "t/j" + i,
              "loopback",
              "done",
              "ok",
              Instant.EPOCH));
    }
    assertThat(log.newestFirst()).extracting(ActionRecord::actionId).containsExactly("a2", "a1");
  }
}
