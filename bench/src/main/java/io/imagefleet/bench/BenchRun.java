package io.imagefleet.bench;

import io.imagefleet.bench.contenders.Kind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One benchmark run of a scenario: the environment once, then every contender on its own topics,
 * one after the other (never at the same time: they would share the two cores), then the in-flight
 * sweep for the chart and, if asked, the scale-out comparison.
 */
final class BenchRun {
  private final Scenario scenario;
  private final Path workDir;
  private final PrintStream out;
  private int runs;

  BenchRun(Scenario scenario, Path workDir, PrintStream out) {
    this.scenario = scenario;
    this.workDir = workDir;
    this.out = out;
  }

  BenchResults execute() {
    Instant started = Instant.now();
    out.printf(
        "imagefleet bench: scenario %s: %d jobs, %d worker(s), in-flight cap %d, upstream %s, %d image(s)/job%n",
        scenario.name(),
        scenario.jobs(),
        scenario.workers(),
        scenario.maxInFlight(),
        scenario.latency(),
        scenario.images());
    out.println("  starting the embedded Kafka broker and the upstream simulator...");
    try (BenchEnvironment env = BenchEnvironment.start(workDir, scenario.latencyDistribution())) {
      warmUpEnvironment(env);
      Optional<TransactionFloor.Result> floor = measureTransactionFloor(env);
      if (scenario.tenants().isOn()) {
        NeighbourRuns neighbours = runNeighbours(env);
        return new BenchResults(
            scenario,
            List.of(neighbours.fair()),
            List.of(),
            List.of(),
            floor,
            Duration.between(started, Instant.now()),
            Optional.of(neighbours));
      }
      List<RunResult> main = new ArrayList<>();
      for (Kind kind : scenario.contenders()) {
        main.add(
            run(
                env,
                kind,
                scenario.workers(),
                scenario.maxInFlight(),
                scenario.jobs(),
                scenario.warmUpJobs(),
                kind == Kind.SEQUENTIAL
                    ? Optional.of(scenario.sequentialBudget())
                    : Optional.empty()));
      }
      List<RunResult> sweep = new ArrayList<>();
      for (int cap : scenario.sweep()) {
        for (Kind kind : scenario.contenders()) {
          if (kind == Kind.SEQUENTIAL) {
            continue; // one at a time whatever the cap: its main run is its whole line
          }
          Optional<RunResult> same =
              main.stream()
                  .filter(
                      r ->
                          r.contender() == kind
                              && r.maxInFlight() == cap
                              && r.workers() == scenario.workers())
                  .findFirst();
          sweep.add(
              same.orElseGet(
                  () ->
                      run(
                          env,
                          kind,
                          scenario.workers(),
                          cap,
                          cap * scenario.sweepWaves(),
                          scenario.shortWarmUpJobs(cap),
                          Optional.empty())));
        }
      }
      List<RunResult> scaleOut = new ArrayList<>();
      if (scenario.scaleOut()) {
        scaleOut.add(
            main.stream()
                .filter(r -> r.contender() == Kind.IMAGEFLEET && r.workers() == 1)
                .findFirst()
                .orElseGet(
                    () ->
                        run(
                            env,
                            Kind.IMAGEFLEET,
                            1,
                            scenario.maxInFlight(),
                            scenario.jobs(),
                            scenario.warmUpJobs(),
                            Optional.empty())));
        scaleOut.add(
            run(
                env,
                Kind.IMAGEFLEET,
                2,
                scenario.maxInFlight(),
                scenario.jobs(),
                scenario.warmUpJobs(),
                Optional.empty()));
      }
      return new BenchResults(
          scenario,
          main,
          sweep,
          scaleOut,
          floor,
          Duration.between(started, Instant.now()),
          Optional.empty());
    }
  }

  /**
   * The noisy-neighbour scenario: the two tenants with fair share on, the same load as one
   * tenant's, then (if asked) the two tenants with fair share off, each run on its own topics.
   */
  private NeighbourRuns runNeighbours(BenchEnvironment env) {
    TenantMix mix = scenario.tenants();
    int busyJobs = scenario.jobs();
    RunResult fair = run(env, mix.fair(busyJobs));
    RunResult oneTenant = run(env, mix.oneTenant(busyJobs));
    Optional<RunResult> fifo =
        mix.fifoRun() ? Optional.of(run(env, mix.fifo(busyJobs))) : Optional.empty();
    return new NeighbourRuns(fair, oneTenant, fifo);
  }

  private RunResult run(BenchEnvironment env, TenantLoad load) {
    return run(
        env,
        ContenderRun.ofTenants(
            scenario.workers(), scenario.maxInFlight(), scenario.warmUpJobs(), load));
  }

  /**
   * Before contenders are compared, an unmeasured imagefleet run warms the benchmark's own JVM up
   * (broker, simulator, reader). Their code compiles as contenders run, so without it the first
   * contender would share the machine with more of that compiling than the ones after it, and
   * whichever ran first would look slower. After this run, every contender meets an environment
   * that has served at least one. The noisy-neighbour scenario compares its runs with each other
   * likewise. It takes the main batches' whole warm-up: a shorter one still left the first
   * contender meeting a JVM busy compiling (docs/benchmark-log.md has the runs).
   */
  private void warmUpEnvironment(BenchEnvironment env) {
    if (scenario.contenders().size() < 2 && !scenario.tenants().isOn()) {
      return; // nothing to compare
    }
    int jobs = Math.min(scenario.jobs(), scenario.maxInFlight());
    out.printf(
        "  [00-environment] warming the broker and the simulator up with an unmeasured imagefleet run of %d "
            + "job(s)...%n",
        jobs);
    new ContenderRun(
            Kind.IMAGEFLEET,
            1,
            scenario.maxInFlight(),
            jobs,
            scenario.warmUpJobs(),
            Optional.empty())
        .execute(env, scenario, workDir, "00-environment", out);
  }

  /**
   * Before any contender, on the warmed and otherwise idle broker: what the worker's transactions
   * cost alone, so that its delivery lag can be read against it.
   */
  private Optional<TransactionFloor.Result> measureTransactionFloor(BenchEnvironment env) {
    if (!scenario.contenders().contains(Kind.IMAGEFLEET)) {
      return Optional.empty();
    }
    String runId = "00-transaction-floor";
    out.printf(
        "  [%s] exactly-once delivery alone: %d transactions of %d job endings and their offsets, the broker "
            + "otherwise idle...%n",
        runId, TransactionFloor.MEASURED, TransactionFloor.ENDINGS);
    TransactionFloor.Result floor =
        TransactionFloor.measure(env, scenario, workDir.resolve(runId), runId);
    out.printf(
        "      begin to a read_committed reader p50/p99 %s ms (sends %s, offsets %s, commit %s, "
            + "commit to reader %s)%n",
        floor.total().text(),
        floor.sends().text(),
        floor.offsets().text(),
        floor.commit().text(),
        floor.commitToRead().text());
    return Optional.of(floor);
  }

  private RunResult run(
      BenchEnvironment env,
      Kind kind,
      int workers,
      int cap,
      int jobs,
      int warmUp,
      Optional<Duration> budget) {
    return run(env, new ContenderRun(kind, workers, cap, jobs, warmUp, budget));
  }

  private RunResult run(BenchEnvironment env, ContenderRun contender) {
    Kind kind = contender.kind();
    int workers = contender.workers();
    int cap = contender.maxInFlight();
    String runId =
        String.format("%02d-%s-w%d-c%d", ++runs, kind.wire(), workers, cap)
            + contender.tenants().map(load -> "-" + load.label()).orElse("");
    out.printf(
        "  [%s] %s: %d job(s)%s, %d worker(s), cap %d%s...%n",
        runId,
        kind.wire(),
        contender.jobs(),
        contender
            .tenants()
            .map(
                load ->
                    String.format(
                        Locale.ROOT,
                        " (%d of tenant %s, then %d of tenant %s %d s later%s)",
                        load.busyJobs(),
                        TenantLoad.BUSY,
                        load.quietJobs(),
                        load.quietTenant(),
                        load.quietDelay().toSeconds(),
                        load.workerProperties().isEmpty()
                            ? ""
                            : "; worker keys " + load.workerProperties()))
            .orElse(""),
        workers,
        kind == Kind.SEQUENTIAL ? 1 : cap,
        contender.budget().map(b -> ", measured for " + b.toSeconds() + " s").orElse(""));
    RunResult result = contender.execute(env, scenario, workDir, runId, out);
    out.printf(
        "      %d ended in %.1f s: %.1f jobs/s%s, mean in flight %.0f of %d, overhead p50/p99 %s/%s ms (submit %s/%s, "
            + "collect %s/%s, delivery %s/%s), task-record window p50/p99 %s/%s ms, %.2f CPU ms/job (JIT %.2f; "
            + "the simulator %.2f in the bench JVM), "
            + "%.2f upstream requests/job%n",
        result.completed(),
        result.seconds(),
        result.throughput(),
        result.ideal() == null
            ? ""
            : String.format(
                " (%.0f%% of the ideal %.1f)", 100 * result.ratioToIdeal(), result.ideal()),
        result.meanInFlight(),
        (kind == Kind.SEQUENTIAL ? 1 : cap) * workers,
        result.overhead().p50(),
        result.overhead().p99(),
        result.submitLag().p50(),
        result.submitLag().p99(),
        result.collectLag().p50(),
        result.collectLag().p99(),
        result.deliveryLag().p50(),
        result.deliveryLag().p99(),
        result.recordWindow().p50(),
        result.recordWindow().p99(),
        result.cpuMsPerJob(),
        result.jitCpuMsPerJob(),
        result.simulatorCpuMsPerJob(),
        result.requestsPerJob());
    if (result.capacityUse() != null) {
      out.printf("      capacity (cap x window): %s%n", result.capacityUse().describe());
    }
    if (result.rateLimits() != null) {
      RateLimitFigures f = result.rateLimits();
      out.printf(
          "      rate limits: %d task(s) created in %.1f s, %s of %d 429 answer(s) in %d call(s), "
              + "%d breaker opening(s), longest poll gap %.1f s, %d job(s) lost%n",
          f.tasksCreated(),
          f.creationWindowSeconds(),
          f.achievedCreatesPerSecond() == null
              ? "-"
              : String.format(Locale.ROOT, "%.2f/s", f.achievedCreatesPerSecond()),
          f.responses429(),
          f.apiCalls(),
          f.breakerOpenings(),
          f.maxPollGapSeconds(),
          result.lost());
    }
    if (result.neighbours() != null) {
      NoisyNeighbourFigures f = result.neighbours();
      out.printf(
          Locale.ROOT,
          "      second batch: %d of %d job(s) accepted, publish to ACCEPTED p50/p99 %s/%s s; "
              + "%d of tenant %s's job(s) not yet accepted when it was published%n",
          f.quietAccepted(),
          f.quietJobs(),
          Report.seconds(f.quietStartWaitP50Seconds()),
          Report.seconds(f.quietStartWaitP99Seconds()),
          f.busyBacklogAtQuietStart(),
          TenantLoad.BUSY);
    }
    return result;
  }
}
