package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.bench.contenders.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void aZeroLatencyRunReportsWhatTheWorkersCpuPerJobAllowsOnTheCoresAlone() {
    // 2.5 ms per job of which 0.5 is the JIT compiler's: 2 ms of work, so 2 cores carry 1,000
    // jobs/s.
    RunResult ours = run(Kind.IMAGEFLEET, null, 2.5, 0.5, 480.0);
    BenchResults results = results(ours);

    assertThat(ours.workCpuMsPerJob()).isEqualTo(2.0);
    assertThat(ours.cpuBoundCeiling(2)).hasValue(1000.0);
    assertThat(Report.cpuBoundCeiling(results, 2))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .contains("2.00 CPU ms per job")
                    .contains("2 cores")
                    .contains("about 1000 jobs/s")
                    .contains("480.0 jobs/s"));
  }

  @Test
  void aRunWithAnUpstreamLatencyHasAnIdealInsteadOfACeiling() {
    assertThat(Report.cpuBoundCeiling(results(run(Kind.IMAGEFLEET, 256.0, 4.0, 2.0, 217.0)), 2))
        .isEmpty();
  }

  @Test
  void theComparisonGivesTheCpuRatioWithAndWithoutJitCompilation() {
    BenchResults results =
        results(
            run(Kind.IMAGEFLEET, 256.0, 4.0, 2.0, 220.0),
            run(Kind.PARALLEL_CONSUMER, 256.0, 5.0, 1.0, 200.0));

    assertThat(Report.comparison(results))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .contains(
                        "1.10x Parallel Consumer's throughput at 0.80x its CPU per job (0.50x without JIT compilation)"));
  }

  @Test
  void theExactlyOnceFloorIsReadFromNanosecondSamplesAndPrintedToATenthOfAMillisecond() {
    // 1..100 ms: the median is the 50th value, the 99th percentile the 99th (nearest rank).
    long[] nanos = LongStream.rangeClosed(1, 100).map(ms -> ms * 1_000_000 + 40_000).toArray();
    TransactionFloor.Phase phase = TransactionFloor.Phase.of(nanos);
    TransactionFloor.Result floor =
        new TransactionFloor.Result(100, 8, phase, phase, phase, phase, phase);

    assertThat(phase.p50Ms()).isEqualTo(50.04);
    assertThat(phase.text()).isEqualTo("50.0/99.0");
    assertThat(Report.transactionFloor(floor)).contains("8 job endings", "p50/p99 50.0/99.0 ms");
    assertThat(
            Report.render(
                new BenchResults(
                    Scenario.preset("default"),
                    List.of(),
                    List.of(),
                    List.of(),
                    Optional.of(floor),
                    Duration.ofSeconds(1),
                    Optional.empty())))
        .contains("Exactly-once floor");
  }

  @Test
  void aRateLimitedRunShowsEachFigureWithItsTargetAndTheJsonNamesThem() {
    RunResult base = run(Kind.IMAGEFLEET, 256.0, 4.0, 2.0, 20.0);
    RateLimitFigures figures =
        new RateLimitFigures(
            new UpstreamLimits(20, 60), 3000, 160.0, 10_000, 500, 450, 50, 12.5, 1);
    RunResult limited =
        new RunResult(
            base.contender(),
            3,
            base.maxInFlight(),
            base.jobsFed(),
            3998,
            2,
            0,
            base.seconds(),
            base.throughput(),
            base.ideal(),
            base.meanInFlight(),
            null,
            base.e2e(),
            base.overhead(),
            base.submitLag(),
            base.collectLag(),
            base.recordWindow(),
            base.deliveryLag(),
            base.cpuMsPerJob(),
            base.jitCpuMsPerJob(),
            0,
            0,
            1,
            1,
            1,
            0,
            0,
            null,
            figures,
            null);

    assertThat(Report.rateLimits(limited))
        .contains("3 worker(s) sharing one API key", "20.0 creations/s", "60.0 queries/s")
        .containsPattern("goodput ratio +0\\.938 +>= 0\\.95 +NO")
        .containsPattern("share of 429s +0\\.0500 \\(500 of 10000 calls")
        .containsPattern("lost +2 +0 +NO")
        .containsPattern("breaker openings +1 +0 +NO");
    var json = ResultFiles.json(results(limited));
    assertThat(json.get("lost").asInt()).isEqualTo(2);
    assertThat(json.get("failed").asInt()).isEqualTo(2);
    assertThat(json.get("goodput_ratio").asDouble()).isEqualTo(3000 / 160.0 / 20);
    assertThat(json.get("share_429").asDouble()).isEqualTo(0.05);
    assertThat(json.get("max_poll_gap_s").asDouble()).isEqualTo(12.5);
    assertThat(json.get("breaker_openings").asInt()).isEqualTo(1);
  }

  @Test
  void aNoisyNeighbourRunShowsEachTargetAndTheJsonNamesTheIssuesKeys() {
    RunResult fair =
        run(
            Kind.IMAGEFLEET,
            341.0,
            2,
            1,
            300.0,
            new NoisyNeighbourFigures(100, 100, 1.2, 4.5, 16_000));
    RunResult oneTenant =
        run(
            Kind.IMAGEFLEET,
            341.0,
            2,
            1,
            320.0,
            new NoisyNeighbourFigures(100, 100, 50.0, 51.0, 16_100));
    RunResult fifo =
        run(
            Kind.IMAGEFLEET,
            341.0,
            2,
            1,
            310.0,
            new NoisyNeighbourFigures(100, 100, 48.0, 49.5, 15_900));
    NeighbourRuns runs = new NeighbourRuns(fair, oneTenant, Optional.of(fifo));
    BenchResults results =
        new BenchResults(
            Scenario.preset("noisy-neighbour"),
            List.of(fair),
            List.of(),
            List.of(),
            Optional.empty(),
            Duration.ofSeconds(1),
            Optional.of(runs));

    assertThat(Report.render(results))
        .containsPattern("quiet start wait p99 s +4\\.50 +<= 5\\.0 .* yes")
        .containsPattern("busy backlog at quiet start +16000 +> 10000 +yes")
        .containsPattern("throughput / one tenant's +0\\.938 +>= 0\\.95 +NO")
        .containsPattern("FIFO quiet start wait p99 s +49\\.50")
        .contains("two tenants, fair share off (FIFO)");
    var json = ResultFiles.json(results);
    assertThat(json.get("quiet_tenant_jobs").asInt()).isEqualTo(100);
    assertThat(json.get("quiet_tenant_start_wait_p50_s").asDouble()).isEqualTo(1.2);
    assertThat(json.get("quiet_tenant_start_wait_p99_s").asDouble()).isEqualTo(4.5);
    assertThat(json.get("busy_tenant_backlog_at_quiet_start").asInt()).isEqualTo(16_000);
    assertThat(json.get("throughput_jobs_per_s").asDouble()).isEqualTo(300.0);
    assertThat(json.get("single_tenant_throughput_jobs_per_s").asDouble()).isEqualTo(320.0);
    assertThat(json.get("fifo_quiet_tenant_start_wait_p99_s").asDouble()).isEqualTo(49.5);
    assertThat(json.get("quiet_tenant_wait_target_met").asBoolean()).isTrue();
    assertThat(json.get("throughput_target_met").asBoolean()).isFalse();
    assertThat(json.get("noisy_neighbour_runs")).hasSize(3);
    assertThat(
            json.get("scenario").get("fifo_worker_properties").get("tenants.fair-share").asText())
        .isEqualTo("false");
  }

  private static BenchResults results(RunResult... runs) {
    return new BenchResults(
        Scenario.preset("default"),
        List.of(runs),
        List.of(),
        List.of(),
        Optional.empty(),
        Duration.ofSeconds(1),
        Optional.empty());
  }

  private static RunResult run(
      Kind kind, Double ideal, double cpuMsPerJob, double jitMsPerJob, double throughput) {
    return run(kind, ideal, cpuMsPerJob, jitMsPerJob, throughput, null);
  }

  private static RunResult run(
      Kind kind,
      Double ideal,
      double cpuMsPerJob,
      double jitMsPerJob,
      double throughput,
      NoisyNeighbourFigures neighbours) {
    RunResult.Latencies none = RunResult.Latencies.NONE;
    return new RunResult(
        kind,
        1,
        512,
        4000,
        4000,
        0,
        0,
        4000 / throughput,
        throughput,
        ideal,
        500,
        null,
        none,
        none,
        none,
        none,
        none,
        none,
        cpuMsPerJob,
        jitMsPerJob,
        0,
        0,
        1,
        1,
        1,
        0,
        0,
        null,
        null,
        neighbours);
  }
}
