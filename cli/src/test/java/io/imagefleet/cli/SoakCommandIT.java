package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagefleet soak} on a small batch, through a rate-limit phase and a route outage: every
 * job counted once by the independent reader.
 */
class SoakCommandIT {
  @TempDir Path out;

  @Test
  void passesWhenEveryJobEndedOnceAndWritesTheFigures() throws Exception {
    Path figures = out.resolve("soak.json");
    String printed =
        CliRun.run(
            "soak",
            "--jobs",
            "20",
            "--workers",
            "1",
            "--hung",
            "0",
            "--route-down-seconds",
            "2",
            "--rate-limit-seconds",
            "3",
            "--rate-limit-creates",
            "2",
            "--rate-limit-queries",
            "5",
            "--output",
            figures.toString());

    assertThat(printed)
        .contains(
            "rate limit 2.0 creations/s per model and 5.0 queries/s for the first 3 s",
            "rate limits lifted",
            "route gpt-image-1.5 DOWN",
            "PASS: every job terminal, none lost, none ended twice, none paid twice",
            "written to " + figures);
    JsonNode json = Json.mapper().readTree(figures.toFile());
    assertThat(json.get("jobs").asInt()).isEqualTo(20);
    assertThat(json.get("terminal").asInt()).isEqualTo(20);
    assertThat(json.get("lost").asInt()).isZero();
    assertThat(json.get("duplicate_terminal_events").asInt()).isZero();
    assertThat(json.get("succeeded").asInt() + json.get("failed").asInt()).isEqualTo(20);
    assertThat(json.get("transactions_per_worker")).hasSize(1);
    // The batch's 20 creations met a bucket of 2 per second: a burst of 429s, counted apart from
    // the random ones, and the run still passed.
    assertThat(json.get("rate_limited_creates").asLong()).isPositive();
    assertThat(json.get("responses_429").asLong())
        .isGreaterThanOrEqualTo(json.get("rate_limited_creates").asLong());
  }
}
