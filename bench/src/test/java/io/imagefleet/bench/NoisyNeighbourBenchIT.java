package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The noisy-neighbour scenario end to end at a tiny size: two tenants on their own topics, the same
 * load as one tenant's and the FIFO run, each in its own worker JVMs, then the table and the JSON.
 * Proves the scenario runs and measures what it says, not how fair the worker is (a tiny, cold run
 * on a shared machine means nothing).
 */
class NoisyNeighbourBenchIT {

  @TempDir Path out;

  @Test
  void runsTheThreeBatchesAndWritesTheIssuesKeys() throws Exception {
    BenchConsole run =
        BenchConsole.run(
            "--scenario",
            "noisy-neighbour",
            "--jobs",
            "200",
            "--quiet-jobs",
            "20",
            "--quiet-delay",
            "1",
            "--latency",
            "fixed:300ms",
            "--max-in-flight",
            "16",
            "--partitions",
            "4",
            "--warm-up",
            "16",
            "--heap",
            "256",
            "--worker-property",
            "polling.min-interval=100ms",
            "--out",
            out.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.printed())
        .contains("Noisy neighbour", "quiet start wait p99 s", "throughput / one tenant's");
    JsonNode json = new ObjectMapper().readTree(out.resolve("noisy-neighbour.json").toFile());
    assertThat(json.get("quiet_tenant_jobs").asInt()).isEqualTo(20);
    assertThat(json.get("quiet_tenant_accepted").asInt()).isEqualTo(20);
    for (String key :
        new String[] {
          "quiet_tenant_start_wait_p50_s",
          "quiet_tenant_start_wait_p99_s",
          "throughput_jobs_per_s",
          "single_tenant_throughput_jobs_per_s",
          "fifo_quiet_tenant_start_wait_p99_s"
        }) {
      assertThat(json.get(key).isNumber()).as(key).isTrue();
    }
    assertThat(json.get("quiet_tenant_start_wait_p99_s").asDouble())
        .isGreaterThanOrEqualTo(json.get("quiet_tenant_start_wait_p50_s").asDouble())
        .isPositive();
    // 200 jobs at once over 2 x 16 slots of 300 ms tasks cannot all be taken within a second.
    assertThat(json.get("busy_tenant_backlog_at_quiet_start").asInt()).isPositive();
    JsonNode runs = json.get("noisy_neighbour_runs");
    assertThat(runs).hasSize(3);
    for (JsonNode each : runs) {
      assertThat(each.get("jobs_completed").asInt()).isEqualTo(220);
      assertThat(each.get("jobs_failed").asInt()).isZero();
      assertThat(each.get("duplicate_terminal_events").asInt()).isZero();
      assertThat(each.get("tenants").get("quiet_tenant_accepted").asInt()).isEqualTo(20);
    }
  }
}
