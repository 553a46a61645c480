package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagefleet bench console} briefly, at a rate any machine carries: the figures add up
 * (every event published reaches every page, every ending is seen, the heap is sampled), not how
 * fast.
 */
class ConsoleBenchIT {
  @TempDir Path dir;

  @Test
  void everyPageGetsEveryChangeAndTheFiguresAddUp() throws Exception {
    Path out = dir.resolve("console.json");
    String printed =
        CliRun.run(
            "bench",
            "console",
            "--jobs-per-second",
            "50",
            // Long enough for two heap samples after the console holds --console-jobs jobs (from
            // 4 s), however slowly jcmd answers on a busy machine.
            "--seconds",
            "10",
            "--pages",
            "2",
            "--console-jobs",
            "50",
            "--heap-every",
            "1",
            "--out",
            out.toString());

    assertThat(printed).contains("every page kept up", "Figures: " + out);
    JsonNode f = Json.mapper().readTree(out.toFile());
    assertThat(f.get("jobs").asLong()).isEqualTo(500);
    assertThat(f.get("events_published").asLong()).isEqualTo(2500);
    assertThat(f.get("events_failed").asLong()).isZero();
    assertThat(f.get("every_page_kept_up").asBoolean()).isTrue();
    assertThat(f.get("page_figures")).hasSize(2);
    for (JsonNode page : f.get("page_figures")) {
      assertThat(page.get("job_changes").asLong()).isEqualTo(2500);
      assertThat(page.get("endings_seen").asLong()).isEqualTo(500);
      assertThat(page.get("resyncs").asLong()).isZero();
      assertThat(page.get("lag_p50_ms").asLong())
          .isLessThanOrEqualTo(page.get("lag_p99_ms").asLong());
      assertThat(page.get("lag_p99_ms").asLong())
          .isLessThanOrEqualTo(page.get("lag_max_ms").asLong());
      assertThat(page.get("settled_lag_max_ms").asLong())
          .isLessThanOrEqualTo(page.get("lag_max_ms").asLong());
    }
    assertThat(f.get("live_heap").size()).isGreaterThanOrEqualTo(3);
    assertThat(f.get("live_heap_idle_bytes").asLong()).isPositive();
    assertThat(f.get("live_heap_last_bytes").asLong()).isPositive();
    assertThat(f.get("console_cpu_s").asDouble()).isPositive();
  }
}
