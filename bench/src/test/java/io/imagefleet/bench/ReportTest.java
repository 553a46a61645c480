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
                    Duration.ofSeconds(1))))
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
            figures);

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

  private static BenchResults results(RunResult... runs) {
    return new BenchResults(
        Scenario.preset("default"),
        List.of(runs),
        List.of(),
        List.of(),
        Optional.empty(),
        Duration.ofSeconds(1));
  }

  private static RunResult run(
      Kind kind, Double ideal, double cpuMsPerJob, double jitMsPerJob, double throughput) {
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
        null);
  }
}
