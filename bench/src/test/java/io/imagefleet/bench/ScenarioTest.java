package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.bench.contenders.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Test
  void theDefaultIsTheIssuesHeadlineScenario() {
    Scenario s = Scenario.preset("default");

    assertThat(s.jobs()).isEqualTo(4000);
    assertThat(s.maxInFlight()).isEqualTo(512);
    assertThat(s.latencyDistribution().sample(new java.util.Random())).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.contenders()).containsExactly(Kind.IMAGEFLEET, Kind.PARALLEL_CONSUMER, Kind.SEQUENTIAL);
  }

  @Test
  void flagsOverrideThePresetAndKeepTheRest() {
    Scenario s = Scenario.preset("default").with(100, null, 64, "lognormal:20s..90s", null,
        List.of(Kind.IMAGEFLEET), List.of(), null, null, null, null, Map.of("polling.jitter", "0.05"), 200);

    assertThat(s.jobs()).isEqualTo(100);
    assertThat(s.maxInFlight()).isEqualTo(64);
    assertThat(s.workers()).isEqualTo(1);
    assertThat(s.warmUpJobs()).isEqualTo(200);
    assertThat(s.sweep()).isEmpty();
    assertThat(s.workerProperties()).containsEntry("polling.jitter", "0.05");
  }

  @Test
  void mainBatchesTakeTheWholeWarmUpAndSweepPointsAtMostFourRoundsOfTheirCap() {
    Scenario s = Scenario.preset("default");

    assertThat(s.warmUpJobs()).isEqualTo(12_000);
    assertThat(s.shortWarmUpJobs(64)).isEqualTo(256);
    assertThat(s.shortWarmUpJobs(512)).isEqualTo(2048);
    assertThat(s.with(null, 2, null, null, null, null, null, null, null, null, null, Map.of(), null)
        .shortWarmUpJobs(64)).isEqualTo(512);
    assertThat(s.with(null, null, null, null, null, null, null, null, null, null, null, Map.of(), 100)
        .shortWarmUpJobs(64)).isEqualTo(100);
  }

  @Test
  void refusesWhatCannotRun() {
    Scenario d = Scenario.preset("default");
    assertThatThrownBy(() -> d.with(null, 13, null, null, null, null, null, null, 12, null, null, Map.of(), null))
        .hasMessageContaining("--workers");
    assertThatThrownBy(() -> d.with(null, null, null, "soon", null, null, null, null, null, null, null, Map.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Scenario.preset("fastest")).hasMessageContaining("default");
  }
}
