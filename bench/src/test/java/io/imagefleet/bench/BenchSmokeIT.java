package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark end to end on a tiny scenario: every contender in its own JVM on the embedded
 * broker and the simulator, then the table, the JSON and the chart. Proves the bench still runs,
 * not how fast anything is (the figures of a tiny, cold run on a shared machine mean nothing).
 */
class BenchSmokeIT {

  @TempDir Path out;

  @Test
  void runsEveryContenderAndWritesTheFigures() throws Exception {
    BenchConsole run = BenchConsole.run("--scenario", "smoke", "--out", out.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.printed())
        .contains("imagefleet", "parallel-consumer", "sequential", "overhead p50/p99 ms");
    JsonNode json = new ObjectMapper().readTree(out.resolve("latest.json").toFile());
    for (String key :
        new String[] {
          "throughput_jobs_per_s",
          "ideal_jobs_per_s",
          "ratio_to_ideal",
          "overhead_p99_ms",
          "cpu_ms_per_job",
          "parallel_consumer_jobs_per_s",
          "upstream_requests_per_job"
        }) {
      assertThat(json.get(key).isNumber()).as(key).isTrue();
    }
    assertThat(json.has("sequential_jobs_per_s")).isTrue();
    // The exactly-once floor was measured on the broker: every phase took time, and the whole is at
    // least its commit (a floor that read nothing, or timed nothing, would not be).
    JsonNode floor = json.get("transaction_floor");
    assertThat(floor.get("transactions").asInt()).isEqualTo(TransactionFloor.MEASURED);
    assertThat(json.get("transaction_floor_p99_ms").asDouble())
        .isEqualTo(floor.get("begin_to_read_ms").get("p99").asDouble());
    for (String phase :
        new String[] {"begin_to_read_ms", "offsets_ms", "commit_ms", "commit_to_read_ms"}) {
      double p50 = floor.get(phase).get("p50").asDouble();
      assertThat(p50).as(phase).isPositive();
      assertThat(floor.get(phase).get("p99").asDouble()).as(phase).isGreaterThanOrEqualTo(p50);
    }
    assertThat(floor.get("begin_to_read_ms").get("p50").asDouble())
        .isGreaterThan(floor.get("commit_ms").get("p50").asDouble());
    assertThat(run.printed()).contains("Exactly-once floor");
    JsonNode imagefleet = json.get("runs").get(0);
    assertThat(imagefleet.get("jobs_completed").asInt())
        .isEqualTo(imagefleet.get("jobs_fed").asInt());
    assertThat(imagefleet.get("jobs_failed").asInt()).isZero();
    assertThat(imagefleet.get("duplicate_terminal_events").asInt()).isZero();
    assertThat(imagefleet.get("creates_per_job").asDouble()).isEqualTo(1.0);
    assertThat(Files.readString(out.resolve("latest.svg")))
        .startsWith("<svg")
        .contains("parallel-consumer");

    // Every measured imagefleet job has its timeline, each moment known.
    Path timeline;
    try (var runs = Files.list(out.resolve("work"))) {
      timeline =
          runs.filter(dir -> dir.getFileName().toString().startsWith("01-imagefleet-"))
              .findFirst()
              .orElseThrow()
              .resolve(JobTimeline.FILE);
    }
    List<String> lines = Files.readAllLines(timeline);
    assertThat(lines.get(0)).isEqualTo(JobTimeline.HEADER);
    assertThat(lines).hasSize(1 + imagefleet.get("jobs_fed").asInt());
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(7).doesNotContain(""));
  }
}
