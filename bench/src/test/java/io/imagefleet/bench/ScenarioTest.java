package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.bench.contenders.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ScenarioTest {

  @Test
  void theDefaultIsTheIssuesHeadlineScenario() {
    Scenario s = Scenario.preset("default");

    assertThat(s.jobs()).isEqualTo(4000);
    assertThat(s.maxInFlight()).isEqualTo(512);
    assertThat(s.latencyDistribution().sample(new Random())).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.contenders())
        .containsExactly(Kind.IMAGEFLEET, Kind.PARALLEL_CONSUMER, Kind.SEQUENTIAL);
  }

  @Test
  void flagsOverrideThePresetAndKeepTheRest() {
    Scenario s =
        flags(
                "--jobs",
                "100",
                "--max-in-flight",
                "64",
                "--latency",
                "lognormal:20s..90s",
                "--contenders",
                "imagefleet",
                "--sweep",
                "0",
                "--worker-property",
                "polling.jitter=0.05",
                "--warm-up",
                "200")
            .applyTo(Scenario.preset("default"));

    assertThat(s.jobs()).isEqualTo(100);
    assertThat(s.maxInFlight()).isEqualTo(64);
    assertThat(s.workers()).isEqualTo(1);
    assertThat(s.warmUpJobs()).isEqualTo(200);
    assertThat(s.sweep()).isEmpty();
    assertThat(s.latency()).isEqualTo("lognormal:20s..90s");
    assertThat(s.contenders()).containsExactly(Kind.IMAGEFLEET);
    assertThat(s.workerProperties()).containsEntry("polling.jitter", "0.05");
  }

  @Test
  void workerPropertiesAddToThePresets() {
    Scenario s =
        flags("--worker-property", "polling.jitter=0.05").applyTo(Scenario.preset("zero-latency"));

    assertThat(s.workerProperties())
        .containsEntry("polling.min-interval", "1ms")
        .containsEntry("polling.jitter", "0.05");
  }

  @Test
  void mainBatchesTakeTheWholeWarmUpAndSweepPointsAtMostFourRoundsOfTheirCap() {
    Scenario s = Scenario.preset("default");

    assertThat(s.warmUpJobs()).isEqualTo(12_000);
    assertThat(s.shortWarmUpJobs(64)).isEqualTo(256);
    assertThat(s.shortWarmUpJobs(512)).isEqualTo(2048);
    assertThat(flags("--workers", "2").applyTo(s).shortWarmUpJobs(64)).isEqualTo(512);
    assertThat(flags("--warm-up", "100").applyTo(s).shortWarmUpJobs(64)).isEqualTo(100);
  }

  @Test
  void theRateLimitedPresetIsTheIssuesAndItsLimitsAreFlags() {
    Scenario s = Scenario.preset("rate-limited");

    assertThat(s.jobs()).isEqualTo(3000);
    assertThat(s.workers()).isEqualTo(3);
    assertThat(s.contenders()).containsExactly(Kind.IMAGEFLEET);
    assertThat(s.limits()).isEqualTo(new UpstreamLimits(20, 60));
    assertThat(s.latency()).startsWith("lognormal:");
    assertThat(Scenario.preset("default").limits().isLimited()).isFalse();

    Scenario small = flags("--creates-per-second", "5", "--jobs", "40").applyTo(s);
    assertThat(small.limits()).isEqualTo(new UpstreamLimits(5, 60));
    assertThat(small.jobs()).isEqualTo(40);
    assertThatThrownBy(() -> flags("--queries-per-second", "-1").applyTo(s))
        .hasMessageContaining("--queries-per-second");
  }

  @Test
  void theNoisyNeighbourPresetIsTheIssuesAndItsFifoRunTurnsFairShareOff() {
    Scenario s = Scenario.preset("noisy-neighbour");

    assertThat(s.jobs()).isEqualTo(20_000);
    assertThat(s.workers()).isEqualTo(2);
    assertThat(s.contenders()).containsExactly(Kind.IMAGEFLEET);
    assertThat(s.tenants().quietJobs()).isEqualTo(100);
    assertThat(s.tenants().quietDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.tenants().fifoRun()).isTrue();
    assertThat(s.tenants().fifo(s.jobs()).workerProperties())
        .containsExactly(Map.entry("tenants.fair-share", "false"));
    assertThat(s.tenants().fair(s.jobs()).workerProperties()).isEmpty();
    assertThat(s.tenants().oneTenant(s.jobs()).tenants()).containsExactly(TenantLoad.BUSY);
    assertThat(Scenario.preset("default").tenants().isOn()).isFalse();

    Scenario small =
        flags(
                "--quiet-jobs",
                "10",
                "--quiet-delay",
                "1",
                "--no-fifo",
                "--fifo-worker-property",
                "polling.jitter=0.1")
            .applyTo(s);
    assertThat(small.tenants())
        .isEqualTo(
            new TenantMix(10, Duration.ofSeconds(1), false, Map.of("polling.jitter", "0.1")));
    assertThatThrownBy(() -> flags("--quiet-jobs", "10").applyTo(Scenario.preset("default")))
        .hasMessageContaining("noisy-neighbour only");
    assertThatThrownBy(() -> flags("--contenders", "imagefleet,sequential").applyTo(s))
        .hasMessageContaining("imagefleet alone");
  }

  @Test
  void refusesWhatCannotRun() {
    Scenario d = Scenario.preset("default");
    assertThatThrownBy(() -> flags("--workers", "13", "--partitions", "12").applyTo(d))
        .hasMessageContaining("--workers");
    assertThatThrownBy(() -> flags("--latency", "soon").applyTo(d))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> flags("--contenders", "kafka-streams").applyTo(d))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Scenario.preset("fastest")).hasMessageContaining("default");
  }

  /** The options as the command line sets them. */
  private static ScenarioOptions flags(String... args) {
    ScenarioOptions options = new ScenarioOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }
}
