package io.imagefleet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.bench.contenders.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes a run's figures as JSON (headline keys first, then every run in full) and the throughput
 * chart as SVG, both to the output directory: {@code latest.json} and {@code latest.svg}, plus a
 * copy named after the scenario so that presets run one after another do not overwrite each other.
 */
final class ResultFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultFiles() {}

  /** Returns the files written. */
  static List<Path> write(BenchResults results, Path dir) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      byte[] json = JSON.writeValueAsBytes(json(results));
      for (String name : List.of("latest.json", results.scenario().name() + ".json")) {
        Files.write(dir.resolve(name), json);
        written.add(dir.resolve(name));
      }
      Optional<String> svg = chart(results);
      if (svg.isPresent()) {
        for (String name : List.of("latest.svg", results.scenario().name() + ".svg")) {
          Files.writeString(dir.resolve(name), svg.get());
          written.add(dir.resolve(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results to " + dir, e);
    }
    return written;
  }

  static ObjectNode json(BenchResults results) {
    ObjectNode root = JSON.createObjectNode();
    Optional<RunResult> ours = results.main(Kind.IMAGEFLEET);
    putNumber(root, "throughput_jobs_per_s", ours.map(RunResult::throughput));
    putNumber(root, "ideal_jobs_per_s", ours.map(RunResult::ideal));
    putNumber(root, "ratio_to_ideal", ours.map(RunResult::ratioToIdeal));
    putNumber(
        root,
        "overhead_p50_ms",
        ours.map(r -> r.overhead().p50() == null ? null : r.overhead().p50().doubleValue()));
    putNumber(
        root,
        "overhead_p99_ms",
        ours.map(r -> r.overhead().p99() == null ? null : r.overhead().p99().doubleValue()));
    putNumber(root, "cpu_ms_per_job", ours.map(RunResult::cpuMsPerJob));
    putNumber(root, "jit_cpu_ms_per_job", ours.map(RunResult::jitCpuMsPerJob));
    putNumber(
        root, "cpu_bound_ceiling_jobs_per_s", ours.flatMap(r -> r.cpuBoundCeiling(Report.CORES)));
    putNumber(
        root, "sequential_jobs_per_s", results.main(Kind.SEQUENTIAL).map(RunResult::throughput));
    putNumber(
        root,
        "parallel_consumer_jobs_per_s",
        results.main(Kind.PARALLEL_CONSUMER).map(RunResult::throughput));
    putNumber(
        root,
        "parallel_consumer_cpu_ms_per_job",
        results.main(Kind.PARALLEL_CONSUMER).map(RunResult::cpuMsPerJob));
    putNumber(
        root,
        "parallel_consumer_jit_cpu_ms_per_job",
        results.main(Kind.PARALLEL_CONSUMER).map(RunResult::jitCpuMsPerJob));
    putNumber(root, "upstream_requests_per_job", ours.map(RunResult::requestsPerJob));
    putNumber(root, "polls_per_job", ours.map(RunResult::pollsPerJob));
    putNumber(root, "scale_out_factor", results.scaleOutFactor());
    putNumber(
        root,
        "heap_bytes_per_in_flight_job",
        ours.map(RunResult::liveHeap).map(h -> h == null ? null : h.bytesPerJob()));
    putNumber(
        root, "transaction_floor_p99_ms", results.transactionFloor().map(f -> f.total().p99Ms()));
    results
        .transactionFloor()
        .ifPresent(f -> transactionFloor(root.putObject("transaction_floor"), f));
    ours.map(RunResult::rateLimits).ifPresent(f -> rateLimitHeadline(root, ours.get()));
    results.neighbours().ifPresent(n -> neighbourHeadline(root, n));
    ObjectNode scenario = root.putObject("scenario");
    Scenario s = results.scenario();
    scenario.put("name", s.name());
    scenario.put("jobs", s.jobs());
    scenario.put("workers", s.workers());
    scenario.put("max_in_flight", s.maxInFlight());
    scenario.put("warm_up_jobs", s.warmUpJobs());
    scenario.put("latency", s.latency());
    scenario.put("images", s.images());
    scenario.put("partitions", s.partitions());
    scenario.put("heap_mb", s.heapMb());
    scenario.put("sequential_budget_s", s.sequentialBudget().toSeconds());
    s.workerProperties().forEach(scenario.putObject("worker_properties")::put);
    scenario.put("creates_per_s_limit", s.limits().createsPerSecond());
    scenario.put("queries_per_s_limit", s.limits().queriesPerSecond());
    if (s.tenants().isOn()) {
      scenario.put("quiet_jobs", s.tenants().quietJobs());
      scenario.put("quiet_delay_s", s.tenants().quietDelay().toMillis() / 1000.0);
      s.tenants().fifoProperties().forEach(scenario.putObject("fifo_worker_properties")::put);
    }
    scenario.put("elapsed_s", results.elapsed().toMillis() / 1000.0);
    runs(root.putArray("runs"), results.main());
    runs(root.putArray("sweep"), results.sweep());
    runs(root.putArray("scale_out"), results.scaleOut());
    results.neighbours().ifPresent(n -> runs(root.putArray("noisy_neighbour_runs"), n.all()));
    return root;
  }

  /**
   * The noisy-neighbour scenario's figures, under the names docs/benchmark.md defines: the fair
   * run's, the one-tenant run's throughput and the FIFO run's wait ({@code throughput_jobs_per_s}
   * is the fair run's, as the main run).
   */
  private static void neighbourHeadline(ObjectNode root, NeighbourRuns runs) {
    neighbours(root, runs.fair().neighbours());
    root.put("single_tenant_throughput_jobs_per_s", runs.oneTenant().throughput());
    root.put("throughput_ratio_to_single_tenant", runs.throughputRatio());
    Optional<NoisyNeighbourFigures> fifo = runs.fifo().map(RunResult::neighbours);
    putNumber(
        root,
        "fifo_quiet_tenant_start_wait_p50_s",
        fifo.map(NoisyNeighbourFigures::quietStartWaitP50Seconds));
    putNumber(
        root,
        "fifo_quiet_tenant_start_wait_p99_s",
        fifo.map(NoisyNeighbourFigures::quietStartWaitP99Seconds));
    putNumber(
        root,
        "fifo_busy_tenant_backlog_at_quiet_start",
        fifo.map(f -> (double) f.busyBacklogAtQuietStart()));
    root.put("quiet_tenant_wait_target_met", runs.fair().neighbours().quietWaitMet());
    root.put("throughput_target_met", runs.throughputMet());
  }

  private static void neighbours(ObjectNode n, NoisyNeighbourFigures f) {
    n.put("quiet_tenant_jobs", f.quietJobs());
    n.put("quiet_tenant_accepted", f.quietAccepted());
    putNumber(
        n, "quiet_tenant_start_wait_p50_s", Optional.ofNullable(f.quietStartWaitP50Seconds()));
    putNumber(
        n, "quiet_tenant_start_wait_p99_s", Optional.ofNullable(f.quietStartWaitP99Seconds()));
    n.put("busy_tenant_backlog_at_quiet_start", f.busyBacklogAtQuietStart());
  }

  /** The rate-limited scenario's figures, under the names docs/benchmark.md defines. */
  private static void rateLimitHeadline(ObjectNode root, RunResult r) {
    root.put("jobs", r.jobsFed());
    root.put("terminal", r.completed());
    root.put("lost", r.lost());
    root.put("failed", r.failed());
    rateLimits(root, r.rateLimits());
  }

  private static void rateLimits(ObjectNode n, RateLimitFigures f) {
    n.put("permitted_creates_per_s", f.limits().createsPerSecond());
    n.put("permitted_queries_per_s", f.limits().queriesPerSecond());
    putNumber(n, "achieved_creates_per_s", Optional.ofNullable(f.achievedCreatesPerSecond()));
    putNumber(n, "goodput_ratio", Optional.ofNullable(f.goodputRatio()));
    n.put("share_429", f.share429());
    n.put("breaker_openings", f.breakerOpenings());
    n.put("max_poll_gap_s", f.maxPollGapSeconds());
    n.put("tasks_created", f.tasksCreated());
    n.put("creation_window_s", f.creationWindowSeconds());
    n.put("api_calls", f.apiCalls());
    n.put("responses_429", f.responses429());
    n.put("creates_rate_limited", f.createsRateLimited());
    n.put("queries_rate_limited", f.queriesRateLimited());
  }

  private static void transactionFloor(ObjectNode n, TransactionFloor.Result floor) {
    n.put("transactions", floor.transactions());
    n.put("job_endings_each", floor.endingsEach());
    phase(n.putObject("begin_to_read_ms"), floor.total());
    phase(n.putObject("sends_ms"), floor.sends());
    phase(n.putObject("offsets_ms"), floor.offsets());
    phase(n.putObject("commit_ms"), floor.commit());
    phase(n.putObject("commit_to_read_ms"), floor.commitToRead());
  }

  private static void phase(ObjectNode n, TransactionFloor.Phase phase) {
    n.put("p50", phase.p50Ms());
    n.put("p99", phase.p99Ms());
  }

  private static void runs(ArrayNode array, List<RunResult> runs) {
    for (RunResult r : runs) {
      ObjectNode n = array.addObject();
      n.put("contender", r.contender().wire());
      n.put("workers", r.workers());
      n.put("max_in_flight", r.maxInFlight());
      n.put("jobs_fed", r.jobsFed());
      n.put("jobs_completed", r.completed());
      n.put("jobs_failed", r.failed());
      n.put("duplicate_terminal_events", r.duplicates());
      n.put("seconds", r.seconds());
      n.put("throughput_jobs_per_s", r.throughput());
      putNumber(n, "ideal_jobs_per_s", Optional.ofNullable(r.ideal()));
      putNumber(n, "ratio_to_ideal", Optional.ofNullable(r.ratioToIdeal()));
      n.put("mean_in_flight", r.meanInFlight());
      if (r.capacityUse() != null) {
        ObjectNode c = n.putObject("capacity_use");
        c.put("upstream", r.capacityUse().upstream());
        c.put("fleet", r.capacityUse().fleet());
        c.put("ramp_up", r.capacityUse().rampUp());
        c.put("refill", r.capacityUse().refill());
        c.put("drain", r.capacityUse().drain());
      }
      latencies(n.putObject("e2e_ms"), r.e2e());
      latencies(n.putObject("overhead_ms"), r.overhead());
      latencies(n.putObject("submit_lag_ms"), r.submitLag());
      latencies(n.putObject("collect_lag_ms"), r.collectLag());
      latencies(n.putObject("record_window_ms"), r.recordWindow());
      latencies(n.putObject("delivery_lag_ms"), r.deliveryLag());
      n.put("cpu_ms_per_job", r.cpuMsPerJob());
      n.put("jit_cpu_ms_per_job", r.jitCpuMsPerJob());
      n.put("peak_heap_bytes", r.peakHeapBytes());
      n.put("peak_rss_bytes", r.peakRssBytes());
      n.put("creates_per_job", r.createsPerJob());
      n.put("polls_per_job", r.pollsPerJob());
      n.put("downloads_per_job", r.downloadsPerJob());
      n.put("upstream_requests_per_job", r.requestsPerJob());
      n.put("bench_jvm_cpu_ms_per_job", r.benchCpuMsPerJob());
      n.put("simulator_cpu_ms_per_job", r.simulatorCpuMsPerJob());
      if (r.rateLimits() != null) {
        rateLimits(n.putObject("rate_limits"), r.rateLimits());
      }
      if (r.neighbours() != null) {
        neighbours(n.putObject("tenants"), r.neighbours());
      }
      if (r.liveHeap() != null) {
        ObjectNode h = n.putObject("live_heap");
        h.put("idle_bytes", r.liveHeap().idleBytes());
        h.put("peak_bytes", r.liveHeap().peakBytes());
        h.put("in_flight", r.liveHeap().inFlight());
        h.put("bytes_per_in_flight_job", r.liveHeap().bytesPerJob());
        h.put("after_batch_bytes", r.liveHeap().afterBytes());
      }
    }
  }

  private static void latencies(ObjectNode n, RunResult.Latencies l) {
    putNumber(n, "p50", Optional.ofNullable(l.p50()).map(Long::doubleValue));
    putNumber(n, "p95", Optional.ofNullable(l.p95()).map(Long::doubleValue));
    putNumber(n, "p99", Optional.ofNullable(l.p99()).map(Long::doubleValue));
    putNumber(n, "max", Optional.ofNullable(l.max()).map(Long::doubleValue));
  }

  private static void putNumber(ObjectNode node, String key, Optional<Double> value) {
    if (value.isPresent() && value.get() != null) {
      node.put(key, value.get());
    } else {
      node.putNull(key);
    }
  }

  /**
   * Throughput and CPU per job against cap, side by side: imagefleet and Parallel Consumer from the
   * sweep, the sequential loop flat, the ideal bound beside throughput.
   */
  static Optional<String> chart(BenchResults results) {
    List<RunResult> points = new ArrayList<>(results.sweep());
    if (points.isEmpty()) {
      return Optional.empty();
    }
    points.sort(Comparator.comparingInt(RunResult::maxInFlight));
    List<Integer> caps = points.stream().map(RunResult::maxInFlight).distinct().sorted().toList();
    List<SvgChart.Series> throughput = contenders(points, results, caps, RunResult::throughput);
    List<SvgChart.Series> cpu = contenders(points, results, caps, RunResult::cpuMsPerJob);
    List<SvgChart.Point> ideal =
        points.stream()
            .filter(r -> r.ideal() != null)
            .collect(
                Collectors.toMap(RunResult::maxInFlight, RunResult::ideal, Math::max, TreeMap::new))
            .entrySet()
            .stream()
            .map(e -> new SvgChart.Point(e.getKey(), e.getValue()))
            .toList();
    if (!ideal.isEmpty()) {
      throughput.add(new SvgChart.Series("ideal bound", ideal, true));
    }
    Scenario s = results.scenario();
    return Optional.of(
        SvgChart.render(
            String.format(
                Locale.ROOT,
                "Against the in-flight cap (upstream %s, %d worker(s))",
                s.latency(),
                s.workers()),
            "in-flight cap per worker",
            List.of(
                new SvgChart.Panel("Throughput (higher is better)", "jobs/s", throughput),
                new SvgChart.Panel(
                    "Worker CPU per job (lower is better)", "CPU ms per job", cpu))));
  }

  /** One line per contender of the sweep, the sequential loop's single run drawn flat. */
  private static List<SvgChart.Series> contenders(
      List<RunResult> points,
      BenchResults results,
      List<Integer> caps,
      java.util.function.ToDoubleFunction<RunResult> figure) {
    List<SvgChart.Series> series = new ArrayList<>();
    for (Kind kind : List.of(Kind.IMAGEFLEET, Kind.PARALLEL_CONSUMER)) {
      List<SvgChart.Point> line =
          points.stream()
              .filter(r -> r.contender() == kind)
              .map(r -> new SvgChart.Point(r.maxInFlight(), figure.applyAsDouble(r)))
              .toList();
      if (!line.isEmpty()) {
        series.add(
            new SvgChart.Series(
                kind == Kind.PARALLEL_CONSUMER ? kind.wire() + " (maxConcurrency)" : kind.wire(),
                line,
                false));
      }
    }
    results
        .main(Kind.SEQUENTIAL)
        .ifPresent(
            seq ->
                series.add(
                    new SvgChart.Series(
                        "sequential (1 at a time)",
                        caps.stream()
                            .map(c -> new SvgChart.Point(c, figure.applyAsDouble(seq)))
                            .toList(),
                        false)));
    return series;
  }
}
