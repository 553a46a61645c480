package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagefleet bench --scenario rate-limited}, made small: worker JVMs sharing one API key
 * against a simulator that limits creations and queries, and the figures the scenario writes. It
 * proves the scenario runs and that the simulator held the fleet to the limit; how well the fleet
 * did (goodput, 429 share, breaker openings) is reported by the benchmark, never asserted here.
 */
class BenchCommandIT {
  @TempDir Path out;

  @Test
  void rateLimitedScenarioWritesEveryFigure() throws Exception {
    String printed =
        CliRun.run(
            "bench",
            "--scenario",
            "rate-limited",
            "--jobs",
            "60",
            "--workers",
            "2",
            "--max-in-flight",
            "32",
            "--latency",
            "fixed:1s",
            "--creates-per-second",
            "10",
            "--queries-per-second",
            "30",
            "--warm-up",
            "4",
            "--partitions",
            "4",
            "--heap",
            "256",
            "--out",
            out.toString());
    System.out.print(printed); // the run's figures, in the test's report

    assertThat(printed).contains("Rate limits (imagefleet, 2 worker(s)", "goodput ratio");
    JsonNode json = Json.mapper().readTree(out.resolve("rate-limited.json").toFile());
    for (String key :
        new String[] {
          "jobs",
          "terminal",
          "lost",
          "failed",
          "permitted_creates_per_s",
          "achieved_creates_per_s",
          "goodput_ratio",
          "share_429",
          "breaker_openings",
          "max_poll_gap_s"
        }) {
      assertThat(json.get(key)).as(key).isNotNull();
      assertThat(json.get(key).isNumber()).as(key).isTrue();
    }
    assertThat(json.get("jobs").asInt()).isEqualTo(60);
    assertThat(json.get("terminal").asInt() + json.get("lost").asInt()).isEqualTo(60);
    assertThat(json.get("permitted_creates_per_s").asDouble()).isEqualTo(10);
    assertThat(json.get("goodput_ratio").asDouble())
        .isEqualTo(json.get("achieved_creates_per_s").asDouble() / 10);
    assertThat(json.get("share_429").asDouble()).isBetween(0.0, 1.0);
    // The simulator held the fleet to its limit: 60 creations of which at most one second's worth
    // (10) came at once take at least 5 s, so at most 12 per second.
    assertThat(json.get("achieved_creates_per_s").asDouble()).isLessThanOrEqualTo(12.0);
    assertThat(json.get("scenario").get("creates_per_s_limit").asDouble()).isEqualTo(10);
  }
}
