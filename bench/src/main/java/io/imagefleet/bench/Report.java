package io.imagefleet.bench;

import io.imagefleet.bench.contenders.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The human-readable summary of a {@link BenchResults}: the tables docs/benchmark.md explains. */
final class Report {
  /** The machine's cores, which a worker would have to itself in production. */
  static final int CORES = Runtime.getRuntime().availableProcessors();

  private Report() {}

  static String render(BenchResults results) {
    StringBuilder text = new StringBuilder();
    Scenario s = results.scenario();
    text.append(
        String.format(
            Locale.ROOT,
            "%nScenario %s: %d jobs, %d worker(s), in-flight cap %d, upstream %s, "
                + "%d image(s)/job, %d partitions, -Xmx%dm per contender JVM%n%n",
            s.name(),
            s.jobs(),
            s.workers(),
            s.maxInFlight(),
            s.latency(),
            s.images(),
            s.partitions(),
            s.heapMb()));
    text.append(table(results.main()).render());
    comparison(results).ifPresent(line -> text.append('\n').append(line).append('\n'));
    cpuBoundCeiling(results, CORES).ifPresent(line -> text.append('\n').append(line).append('\n'));
    results
        .transactionFloor()
        .ifPresent(floor -> text.append('\n').append(transactionFloor(floor)).append('\n'));
    if (!results.sweep().isEmpty()) {
      text.append("\nIn-flight sweep (throughput against cap; jobs = cap x ")
          .append(s.sweepWaves())
          .append("):\n");
      text.append(table(results.sweep()).render());
    }
    if (!results.scaleOut().isEmpty()) {
      text.append("\nScale-out (imagefleet, cap ")
          .append(s.maxInFlight())
          .append(" per worker):\n");
      text.append(table(results.scaleOut()).render());
      results
          .scaleOutFactor()
          .ifPresent(
              f ->
                  text.append(
                      String.format(Locale.ROOT, "2 workers / 1 worker: %.2fx throughput%n", f)));
    }
    for (RunResult r : results.main()) {
      if (r.liveHeap() != null) {
        RunResult.LiveHeap h = r.liveHeap();
        text.append(
            String.format(
                Locale.ROOT,
                "%nMemory (%s): live heap after full GC %.1f MB idle, %.1f MB with %d "
                    + "job(s) in flight: %.2f KB per in-flight job; %.1f MB once all %d had ended%n",
                r.contender().wire(),
                mb(h.idleBytes()),
                mb(h.peakBytes()),
                h.inFlight(),
                h.bytesPerJob() / 1024,
                mb(h.afterBytes()),
                r.completed()));
      }
    }
    for (RunResult r : results.main()) {
      if (r.rateLimits() != null) {
        text.append('\n').append(rateLimits(r));
      }
    }
    results.neighbours().ifPresent(n -> text.append('\n').append(neighbours(n, s)));
    text.append(
        String.format(Locale.ROOT, "%nWhole run: %.0f s%n", results.elapsed().toMillis() / 1000.0));
    return text.toString();
  }

  static TextTable table(List<RunResult> runs) {
    TextTable table =
        new TextTable(
            List.of(
                "contender",
                "workers",
                "cap",
                "jobs",
                "jobs/s",
                "ideal",
                "ratio",
                "e2e p50/p95/p99 ms",
                "overhead p50/p99 ms",
                "CPU ms/job (JIT)",
                "peak heap MB",
                "peak RSS MB",
                "upstream req/job (create+poll+dl)"));
    for (RunResult r : runs) {
      List<String> cells = new ArrayList<>();
      cells.add(r.contender().wire());
      cells.add(Integer.toString(r.workers()));
      cells.add(Integer.toString(r.maxInFlight()));
      cells.add(
          r.completed()
              + (r.completed() < r.jobsFed() ? "/" + r.jobsFed() : "")
              + (r.failed() > 0 ? " (" + r.failed() + " failed)" : ""));
      cells.add(fixed(r.throughput(), 1));
      cells.add(r.ideal() == null ? "-" : fixed(r.ideal(), 1));
      cells.add(r.ratioToIdeal() == null ? "-" : fixed(100 * r.ratioToIdeal(), 1) + "%");
      cells.add(r.e2e().p50() + "/" + r.e2e().p95() + "/" + r.e2e().p99());
      cells.add(r.overhead().p50() + "/" + r.overhead().p99());
      cells.add(fixed(r.cpuMsPerJob(), 2) + " (" + fixed(r.jitCpuMsPerJob(), 2) + ")");
      cells.add(fixed(mb(r.peakHeapBytes()), 0));
      cells.add(fixed(mb(r.peakRssBytes()), 0));
      cells.add(
          fixed(r.requestsPerJob(), 2)
              + " ("
              + fixed(r.createsPerJob(), 2)
              + "+"
              + fixed(r.pollsPerJob(), 2)
              + "+"
              + fixed(r.downloadsPerJob(), 2)
              + ")");
      table.row(cells);
    }
    return table;
  }

  /**
   * A run against a rate-limited upstream: each figure of docs/benchmark.md with the target
   * and whether it was met (reported, never asserted).
   */
  static String rateLimits(RunResult r) {
    RateLimitFigures f = r.rateLimits();
    UpstreamLimits limits = f.limits();
    TextTable table = new TextTable(List.of("figure", "value", "target", "met"));
    table.row(List.of("jobs", Integer.toString(r.jobsFed()), "", ""));
    table.row(List.of("terminal", Integer.toString(r.completed()), "", ""));
    table.row(List.of("lost", Integer.toString(r.lost()), "0", met(r.lost() == 0)));
    table.row(List.of("failed", Integer.toString(r.failed()), "0", met(r.failed() == 0)));
    table.row(List.of("permitted creates/s", fixed(limits.createsPerSecond(), 1), "", ""));
    Double achieved = f.achievedCreatesPerSecond();
    table.row(
        List.of(
            "achieved creates/s",
            achieved == null
                ? "-"
                : fixed(achieved, 2)
                    + " ("
                    + f.tasksCreated()
                    + " in "
                    + fixed(f.creationWindowSeconds(), 1)
                    + " s)",
            "",
            ""));
    Double goodput = f.goodputRatio();
    table.row(
        List.of(
            "goodput ratio",
            goodput == null ? "-" : fixed(goodput, 3),
            ">= " + RateLimitFigures.GOODPUT_TARGET,
            goodput == null ? "-" : met(goodput >= RateLimitFigures.GOODPUT_TARGET)));
    table.row(
        List.of(
            "share of 429s",
            fixed(f.share429(), 4)
                + " ("
                + f.responses429()
                + " of "
                + f.apiCalls()
                + " calls; rate limit: "
                + f.createsRateLimited()
                + " creates, "
                + f.queriesRateLimited()
                + " queries)",
            "<= " + RateLimitFigures.SHARE_429_TARGET,
            met(f.share429() <= RateLimitFigures.SHARE_429_TARGET)));
    table.row(
        List.of(
            "breaker openings",
            Integer.toString(f.breakerOpenings()),
            "0",
            met(f.breakerOpenings() == 0)));
    table.row(List.of("max poll gap s", fixed(f.maxPollGapSeconds(), 1), "", ""));
    return String.format(
            Locale.ROOT,
            "Rate limits (%s, %d worker(s) sharing one API key; the simulator permits %s creations/s "
                + "per model and %s queries/s):%n",
            r.contender().wire(),
            r.workers(),
            limitText(limits.createsPerSecond()),
            limitText(limits.queriesPerSecond()))
        + table.render();
  }

  /**
   * The noisy-neighbour scenario: each run's figures, then the targets and whether they
   * were met (reported, never asserted).
   */
  static String neighbours(NeighbourRuns runs, Scenario s) {
    TextTable perRun =
        new TextTable(
            List.of(
                "run",
                "jobs",
                "jobs/s",
                "second batch accepted",
                "its publish to ACCEPTED p50/p99 s",
                "busy backlog at its publish"));
    for (NeighbourRuns.Named named : runs.named()) {
      RunResult r = named.run();
      NoisyNeighbourFigures f = r.neighbours();
      perRun.row(
          List.of(
              named.name(),
              r.completed() + (r.completed() < r.jobsFed() ? "/" + r.jobsFed() : ""),
              fixed(r.throughput(), 1),
              f.quietAccepted() + "/" + f.quietJobs(),
              seconds(f.quietStartWaitP50Seconds()) + "/" + seconds(f.quietStartWaitP99Seconds()),
              Integer.toString(f.busyBacklogAtQuietStart())));
    }
    NoisyNeighbourFigures fair = runs.fair().neighbours();
    TextTable targets = new TextTable(List.of("figure", "value", "target", "met"));
    targets.row(List.of("quiet tenant jobs", Integer.toString(fair.quietJobs()), "", ""));
    targets.row(
        List.of("quiet start wait p50 s", seconds(fair.quietStartWaitP50Seconds()), "", ""));
    targets.row(
        List.of(
            "quiet start wait p99 s",
            seconds(fair.quietStartWaitP99Seconds()),
            "<= "
                + fixed(NoisyNeighbourFigures.QUIET_WAIT_P99_TARGET_S, 1)
                + " (all accepted, busy backlog > "
                + NoisyNeighbourFigures.BACKLOG_FLOOR
                + ")",
            met(fair.quietWaitMet())));
    targets.row(
        List.of(
            "busy backlog at quiet start",
            Integer.toString(fair.busyBacklogAtQuietStart()),
            "> " + NoisyNeighbourFigures.BACKLOG_FLOOR,
            met(fair.backlogDeepEnough())));
    targets.row(List.of("throughput jobs/s", fixed(runs.fair().throughput(), 1), "", ""));
    targets.row(
        List.of("one-tenant throughput jobs/s", fixed(runs.oneTenant().throughput(), 1), "", ""));
    targets.row(
        List.of(
            "throughput / one tenant's",
            fixed(runs.throughputRatio(), 3),
            ">= " + NoisyNeighbourFigures.THROUGHPUT_TARGET,
            met(runs.throughputMet())));
    runs.fifo()
        .ifPresent(
            fifo ->
                targets.row(
                    List.of(
                        "FIFO quiet start wait p99 s",
                        seconds(fifo.neighbours().quietStartWaitP99Seconds()),
                        "",
                        "")));
    return String.format(
            Locale.ROOT,
            "Noisy neighbour (%d worker(s), cap %d each; tenant %s publishes %d jobs at once, "
                + "tenant %s %d jobs %d s later; fair share on unless the run says otherwise):%n",
            s.workers(),
            s.maxInFlight(),
            TenantLoad.BUSY,
            s.jobs(),
            TenantLoad.QUIET,
            s.tenants().quietJobs(),
            s.tenants().quietDelay().toSeconds())
        + perRun.render()
        + '\n'
        + targets.render();
  }

  /** Seconds with two decimals; "-" for none. */
  static String seconds(Double value) {
    return value == null ? "-" : fixed(value, 2);
  }

  private static String limitText(double perSecond) {
    return perSecond == 0 ? "unlimited" : fixed(perSecond, 1);
  }

  private static String met(boolean met) {
    return met ? "yes" : "NO";
  }

  /** imagefleet against Parallel Consumer at equal concurrency, in one line. */
  static Optional<String> comparison(BenchResults results) {
    Optional<RunResult> ours = results.main(Kind.IMAGEFLEET);
    Optional<RunResult> pc = results.main(Kind.PARALLEL_CONSUMER);
    Optional<RunResult> seq = results.main(Kind.SEQUENTIAL);
    if (ours.isEmpty() || (pc.isEmpty() && seq.isEmpty())) {
      return Optional.empty();
    }
    StringBuilder line = new StringBuilder("imagefleet against the alternatives:");
    pc.ifPresent(
        p ->
            line.append(
                String.format(
                    Locale.ROOT,
                    " %.2fx Parallel Consumer's throughput at %.2fx its CPU per job (%.2fx without JIT compilation);",
                    ours.get().throughput() / p.throughput(),
                    ours.get().cpuMsPerJob() / p.cpuMsPerJob(),
                    ours.get().workCpuMsPerJob() / p.workCpuMsPerJob())));
    seq.filter(q -> q.throughput() > 0)
        .ifPresent(
            q ->
                line.append(
                    String.format(
                        Locale.ROOT,
                        " %.0fx the sequential consumer's throughput.",
                        ours.get().throughput() / q.throughput())));
    return Optional.of(line.toString());
  }

  /**
   * With a zero-latency upstream, what one worker would carry with the machine's cores to itself:
   * the measured throughput here is the machine's (broker, simulator and reader share the cores),
   * not the worker's. Derived from the worker's CPU per job without JIT compilation.
   */
  static Optional<String> cpuBoundCeiling(BenchResults results, int cores) {
    return results
        .main(Kind.IMAGEFLEET)
        .flatMap(
            r ->
                r.cpuBoundCeiling(cores)
                    .map(
                        ceiling ->
                            String.format(
                                Locale.ROOT,
                                "CPU-bound ceiling: imagefleet's work cost %.2f CPU ms per job "
                                    + "(without JIT compilation), so one worker with this machine's %d cores to itself would carry "
                                    + "about %.0f jobs/s; measured here, sharing them with the broker, the simulator and the reader: "
                                    + "%.1f jobs/s.",
                                r.workCpuMsPerJob(),
                                cores,
                                ceiling,
                                r.throughput())));
  }

  /**
   * How to read imagefleet's delivery lag: against what one of its transactions takes with nothing
   * else running.
   */
  static String transactionFloor(TransactionFloor.Result floor) {
    return String.format(
        Locale.ROOT,
        "Exactly-once floor: on the idle broker, a transaction like the worker's (%d job "
            + "endings and their offsets) took p50/p99 %s ms from its begin until a read_committed reader had it. Each "
            + "imagefleet job's delivery lag holds one, plus the wait for it to begin.",
        floor.endingsEach(),
        floor.total().text());
  }

  static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
