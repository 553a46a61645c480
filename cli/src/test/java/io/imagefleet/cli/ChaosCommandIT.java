package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagefleet chaos} on a small batch: worker processes killed and restarted, no job lost.
 */
class ChaosCommandIT {
  @TempDir Path out;

  @Test
  void passesWhenNoJobIsLostAcrossKillsAndWritesTheFigures() throws Exception {
    Path figures = out.resolve("chaos.json");
    String printed =
        CliRun.run(
            "chaos",
            "--jobs",
            "60",
            "--workers",
            "2",
            "--kill-every",
            "5",
            "--restart-after",
            "1",
            "--task-seconds",
            "2",
            "--output",
            figures.toString());

    assertThat(printed)
        .contains(
            "SIGKILL chaos-worker-",
            "PASS: no job lost, none ended twice, every second payment reported on its job");
    JsonNode json = Json.mapper().readTree(figures.toFile());
    assertThat(json.get("terminal").asInt()).isEqualTo(60);
    assertThat(json.get("lost").asInt()).isZero();
    assertThat(json.get("duplicate_terminal_events").asInt()).isZero();
    assertThat(json.get("kills").asInt()).isPositive();
  }
}
