package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagefleet demo} end to end on a small batch: its own broker, simulator and one worker
 * process. Users and scripts read the summary, so its lines are checked as printed.
 */
class DemoCommandIT {
  @TempDir Path dataDir;

  @Test
  void followsEveryJobToItsEndAndPrintsTheSummary() {
    String printed =
        CliRun.run(
            "demo",
            "--jobs",
            "3",
            "--workers",
            "1",
            "--task-seconds",
            "0..1",
            "--data-dir",
            dataDir.toString());

    assertThat(printed)
        .contains("[4/5] following imagefleet.job-events.v1 (live):", "[5/5] stopping the workers");
    assertThat(printed).containsPattern("DEAD-LETTER demo-\\w+-malformed  reason=\\S+");
    assertThat(printed)
        .containsPattern(
            "FAILED +demo-\\w+-refused  tenant=marketing.* error=content_policy_violation");
    assertThat(printed)
        .containsPattern(
            "\n"
                + "  jobs:         7 ended of 7 \\(SUCCEEDED \\d, FAILED \\d\\), duplicate terminal"
                + " events 0\n");
    assertThat(printed)
        .containsPattern("\n  failures:     \\{[^}]*content_policy_violation=1[^}]*}\n");
    assertThat(printed)
        .contains(
            "\n"
                + "  dead letters: 1 (malformed records, kept byte for byte in the dead-letter"
                + " topic)\n");
    assertThat(printed)
        .containsPattern("\n  images:       \\d+ saved \\([\\d,]+ bytes\\) under .*images\n");
    assertThat(printed)
        .containsPattern("\n  cost:         \\$\\d+\\.\\d{2,6} for [\\d,]+ tokens\n");
    assertThat(printed)
        .containsPattern(
            "\n"
                + "  upstream:     \\d+ task\\(s\\) created, \\d+ create call\\(s\\), \\d+"
                + " poll\\(s\\), \\d+ download\\(s\\)\n");
    assertThat(printed)
        .containsPattern("\n  workers:      \\{demo-worker-1=\\d+} \\(jobs ended per worker\\)\n");
    assertThat(printed).containsPattern("\n  elapsed:      \\d+\\.\\d s\n");
    assertThat(printed).contains("\nEvery job reached a terminal status.");
  }

  @Test
  void refusesANonEmptyDirectoryItDidNotMakeAndLeavesItsFiles() throws Exception {
    Path mine = Files.writeString(dataDir.resolve("notes.txt"), "mine, not the demo's");
    Files.createDirectories(dataDir.resolve("src"));

    String printed = CliRun.expecting(2, "demo", "--jobs", "1", "--data-dir", dataDir.toString());

    assertThat(printed.strip())
        .startsWith("error: --data-dir " + dataDir + ": ")
        .contains("is not empty and was not made by imagefleet", "nothing was deleted")
        .doesNotContain("[1/5]");
    assertThat(Files.readString(mine)).isEqualTo("mine, not the demo's");
    assertThat(dataDir.resolve("src")).isDirectory();
    try (var entries = Files.list(dataDir)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("notes.txt", "src");
    }
  }
}
