package io.imagefleet.bench;

import io.imagefleet.bench.BenchEnvironment.RunTopics;
import io.imagefleet.bench.EventCollector.JobTrace;
import io.imagefleet.bench.contenders.Kind;
import io.imagefleet.bench.harness.Sandbox;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.sandbox.upstream.SimulatorStats;
import io.imagefleet.sandbox.upstream.TaskTiming;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One contender doing one batch: its own topics and group, its JVMs started and ready before the
 * batch is published, then measured until every job has ended (or, for the sequential consumer,
 * until its time budget is spent), then stopped. When the scenario limits the upstream's rates, the
 * limits hold from the batch's publication until the run ends, and jobs that did not end in time
 * are reported as lost rather than failing the benchmark.
 *
 * @param kind who runs
 * @param workers how many JVMs
 * @param maxInFlight the in-flight cap each JVM is configured with
 * @param jobs the batch size
 * @param warmUpJobs short unmeasured jobs each run takes first (one for the sequential consumer)
 * @param budget stop measuring after this long even if jobs are left (empty: wait for all)
 * @param tenants publish the batch as this load of tenants on their own topics instead of on the
 *     shared jobs topic ({@code jobs} is then the load's), and measure how the quiet tenant waited
 */
record ContenderRun(
    Kind kind,
    int workers,
    int maxInFlight,
    int jobs,
    int warmUpJobs,
    Optional<Duration> budget,
    Optional<TenantLoad> tenants) {

  /** One batch on the shared jobs topic. */
  ContenderRun(
      Kind kind,
      int workers,
      int maxInFlight,
      int jobs,
      int warmUpJobs,
      Optional<Duration> budget) {
    this(kind, workers, maxInFlight, jobs, warmUpJobs, budget, Optional.empty());
  }

  /** A load of tenants on their own topics. */
  static ContenderRun ofTenants(int workers, int maxInFlight, int warmUpJobs, TenantLoad load) {
    return new ContenderRun(
        Kind.IMAGEFLEET,
        workers,
        maxInFlight,
        load.jobs(),
        warmUpJobs,
        Optional.empty(),
        Optional.of(load));
  }

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  RunResult execute(
      BenchEnvironment env, Scenario scenario, Path workDir, String runId, PrintStream progress) {
    RunTopics topics = env.createTopics(runId, scenario.partitions());
    Optional<TenantTopics> tenantTopics =
        tenants.map(load -> env.createTenantTopics(runId, load.tenants(), scenario.partitions()));
    int jobsPartitions =
        topics.partitions() * (1 + tenants.map(load -> load.tenants().size()).orElse(0));
    Path runDir = workDir.resolve(runId);
    Path config = writeConfig(env, scenario, topics, tenantTopics, runDir, runId);
    List<ContenderProcess> jvms = new ArrayList<>();
    Instant begun = Instant.now();
    try (EventCollector events = EventCollector.start(env.clientProperties(), topics)) {
      for (int i = 1; i <= workers; i++) {
        jvms.add(
            ContenderProcess.start(
                runId + "-" + i,
                kind,
                config,
                runDir.resolve(ContenderProcess.logName(i)),
                scenario.heapMb(),
                scenario.logLevel(),
                Map.of("IMAGEFLEET_WORKER_ID", runId + "-" + i)));
      }
      jvms.forEach(j -> j.await("started", READY_TIMEOUT));
      GroupReadiness.await(env.admin(), runId, workers, jobsPartitions, READY_TIMEOUT);
      Instant ready = Instant.now();
      int warmUp = warmUp(env, topics, events, runId, scenario);
      progress.printf(
          "      ready in %.1f s, warmed up (%d job(s)) in %.1f s%n",
          seconds(begun, ready), warmUp, seconds(ready, Instant.now()));
      long idleHeap = scenario.liveHeap() ? liveHeap(jvms).bytes() : 0;

      UpstreamSimulator simulator = env.simulator();
      UpstreamLimits limits = scenario.limits();
      if (limits.isLimited()) {
        // After the warm-up, whose short jobs measure code, not rates; the reset starts the
        // simulator's longest poll gap afresh for this batch.
        simulator.setRateLimits(limits.createsPerSecond(), limits.queriesPerSecond());
        simulator.resetStats();
      }
      SimulatorStats before = simulator.stats();
      Duration cpuBefore = cpu(jvms);
      Duration jitBefore = jitCpu(jvms);
      Duration benchCpuBefore = benchCpu();
      Duration simulatorCpuBefore = SimulatorCpu.now();
      Optional<TenantFeeder.Published> published =
          tenants.map(
              load ->
                  TenantFeeder.feed(
                      env.feeder(), tenantTopics.orElseThrow(), load, runId, scenario.images()));
      Map<String, Instant> created =
          published.isPresent()
              ? published.get().all()
              : env.feeder().feed(topics.jobs(), runId, jobs, scenario.images());
      Instant start = created.values().stream().min(Instant::compareTo).orElseThrow();
      Instant deadline = budget.map(start::plus).orElse(start.plus(timeout(scenario)));
      LiveSample peak =
          awaitEnd(
              events,
              warmUp,
              jvms,
              deadline,
              scenario.liveHeap(),
              budget.isPresent() || limits.isLimited(),
              progress);
      Duration cpu = cpu(jvms).minus(cpuBefore);
      Duration jit = jitCpu(jvms).minus(jitBefore);
      Duration benchCpu = benchCpu().minus(benchCpuBefore);
      Duration simulatorCpu = SimulatorCpu.now().minus(simulatorCpuBefore);
      long retained = scenario.liveHeap() ? liveHeap(jvms).bytes() : 0;
      SimulatorStats after = simulator.stats();
      long peakRss = jvms.stream().mapToLong(ContenderProcess::peakRssBytes).max().orElse(0);
      Instant stopping = Instant.now();
      long peakHeap = jvms.stream().mapToLong(ContenderProcess::stop).max().orElse(0);
      progress.printf("      stopped in %.1f s%n", seconds(stopping, Instant.now()));
      deleteImages(runDir.resolve("images"));
      JobTimeline.write(runDir, created, events.traces(), simulator::taskTiming);
      RateLimitFigures rateLimits =
          limits.isLimited()
              ? RateLimitFigures.of(
                  limits,
                  taskCreations(events, created, simulator),
                  before,
                  after,
                  BreakerOpenings.count(
                      jvms.stream().map(j -> runDir.resolve(j.logName())).toList()))
              : null;
      NoisyNeighbourFigures neighbours =
          published
              .map(p -> NoisyNeighbourFigures.of(p.busy(), p.quiet(), accepted(events)))
              .orElse(null);
      return measure(
          events,
          created,
          simulator,
          before,
          after,
          cpu,
          jit,
          benchCpu,
          simulatorCpu,
          peakHeap,
          peakRss,
          scenario.liveHeap()
              ? new RunResult.LiveHeap(idleHeap, peak.bytes(), peak.inFlight(), retained)
              : null,
          rateLimits,
          neighbours);
    } finally {
      jvms.forEach(ContenderProcess::close);
      if (scenario.limits().isLimited()) {
        env.simulator().setRateLimits(0, 0); // the next run's warm-up meets an unlimited upstream
      }
    }
  }

  /** The {@code occurred_at} of each ACCEPTED event read, by job id. */
  private static Map<String, Instant> accepted(EventCollector events) {
    Map<String, Instant> accepted = new HashMap<>();
    events
        .traces()
        .forEach(
            (jobId, trace) -> {
              if (trace.acceptedAt != null) {
                accepted.put(jobId, trace.acceptedAt);
              }
            });
    return accepted;
  }

  /** When the upstream created the task of each of the batch's jobs that got one. */
  private static List<Instant> taskCreations(
      EventCollector events, Map<String, Instant> created, UpstreamSimulator simulator) {
    List<Instant> creations = new ArrayList<>();
    events
        .traces()
        .forEach(
            (jobId, trace) -> {
              if (created.containsKey(jobId) && trace.taskId != null) {
                simulator
                    .taskTiming(trace.taskId)
                    .ifPresent(task -> creations.add(task.createdAt()));
              }
            });
    return creations;
  }

  private RunResult measure(
      EventCollector events,
      Map<String, Instant> created,
      UpstreamSimulator simulator,
      SimulatorStats before,
      SimulatorStats after,
      Duration cpu,
      Duration jit,
      Duration benchCpu,
      Duration simulatorCpu,
      long peakHeap,
      long peakRss,
      RunResult.LiveHeap liveHeap,
      RateLimitFigures rateLimits,
      NoisyNeighbourFigures neighbours) {
    List<Long> e2e = new ArrayList<>();
    List<Long> overhead = new ArrayList<>();
    List<Long> submitLag = new ArrayList<>();
    List<Long> collectLag = new ArrayList<>();
    List<Long> recordWindow = new ArrayList<>();
    List<Long> deliveryLag = new ArrayList<>();
    List<Long> planned = new ArrayList<>();
    Instant first = created.values().stream().min(Instant::compareTo).orElseThrow();
    Instant last = first;
    int completed = 0;
    int failed = 0;
    long residenceMs = 0;
    List<CapacityUse.Stay> stays = new ArrayList<>();
    for (Map.Entry<String, JobTrace> entry : events.traces().entrySet()) {
      JobTrace t = entry.getValue();
      Instant createdAt = created.get(entry.getKey());
      if (t.endedAt == null || createdAt == null) {
        continue;
      }
      completed++;
      failed += t.status == JobStatus.FAILED ? 1 : 0;
      last = t.endedAt.isAfter(last) ? t.endedAt : last;
      e2e.add(Duration.between(createdAt, t.endedAt).toMillis());
      Optional<TaskTiming> task =
          t.taskId == null ? Optional.empty() : simulator.taskTiming(t.taskId);
      if (t.acceptedAt != null && t.decidedAt != null) {
        residenceMs += Duration.between(t.acceptedAt, t.decidedAt).toMillis();
      }
      if (task.isPresent() && t.acceptedAt != null) {
        long plannedMs = task.get().planned().toMillis();
        planned.add(plannedMs);
        if (t.decidedAt != null) {
          stays.add(
              new CapacityUse.Stay(
                  Duration.between(first, t.acceptedAt).toMillis(),
                  Duration.between(first, t.decidedAt).toMillis(),
                  plannedMs));
        }
        overhead.add(Duration.between(t.acceptedAt, t.endedAt).toMillis() - plannedMs);
        submitLag.add(Duration.between(t.acceptedAt, task.get().createdAt()).toMillis());
        if (t.submittedAt != null) {
          recordWindow.add(Duration.between(task.get().createdAt(), t.submittedAt).toMillis());
        }
        if (t.decidedAt != null) {
          collectLag.add(Duration.between(task.get().endsAt(), t.decidedAt).toMillis());
          deliveryLag.add(Duration.between(t.decidedAt, t.endedAt).toMillis());
        }
      }
    }
    double seconds = Math.max(1e-3, Duration.between(first, last).toMillis() / 1000.0);
    double per = Math.max(1, completed);
    int capacity = (kind == Kind.SEQUENTIAL ? 1 : maxInFlight) * workers;
    double meanPlanned = planned.stream().mapToLong(Long::longValue).average().orElse(0);
    long longestPlanned = planned.stream().mapToLong(Long::longValue).max().orElse(0);
    OptionalDouble ideal = IdealBound.jobsPerSecond(capacity, jobs, meanPlanned, longestPlanned);
    return new RunResult(
        kind,
        workers,
        kind == Kind.SEQUENTIAL ? 1 : maxInFlight,
        jobs,
        completed,
        failed,
        events.duplicateTerminals(),
        seconds,
        completed / seconds,
        ideal.isPresent() ? ideal.getAsDouble() : null,
        residenceMs / 1000.0 / seconds,
        stays.isEmpty()
            ? null
            : CapacityUse.of(stays, capacity, Duration.between(first, last).toMillis()),
        RunResult.Latencies.of(toArray(e2e)),
        RunResult.Latencies.of(toArray(overhead)),
        RunResult.Latencies.of(toArray(submitLag)),
        RunResult.Latencies.of(toArray(collectLag)),
        RunResult.Latencies.of(toArray(recordWindow)),
        RunResult.Latencies.of(toArray(deliveryLag)),
        cpu.toNanos() / 1e6 / per,
        jit.toNanos() / 1e6 / per,
        peakHeap,
        peakRss,
        (after.createRequests() - before.createRequests()) / per,
        (after.queryRequests() - before.queryRequests()) / per,
        (after.downloadRequests() - before.downloadRequests()) / per,
        benchCpu.toNanos() / 1e6 / per,
        simulatorCpu.toNanos() / 1e6 / per,
        liveHeap,
        rateLimits,
        neighbours);
  }

  /**
   * Waits for every terminal event or the deadline; measures the live heap at the in-flight peak if
   * asked.
   */
  private LiveSample awaitEnd(
      EventCollector events,
      int warmUp,
      List<ContenderProcess> jvms,
      Instant deadline,
      boolean liveHeap,
      boolean reportsUnended,
      PrintStream progress) {
    LiveSample peak = new LiveSample(0, 0);
    boolean peakTaken = !liveHeap;
    Instant nextReport = Instant.now().plusSeconds(10);
    while (events.terminals() - warmUp < jobs && Instant.now().isBefore(deadline)) {
      if (!peakTaken) {
        int inFlight =
            jvms.stream()
                .mapToInt(j -> Integer.parseInt(j.ask("status", "in_flight").get("in_flight")))
                .sum();
        // At the cap, or as soon as jobs start to end (the in-flight count will only fall from
        // there).
        if (inFlight >= Math.min(jobs, maxInFlight * workers) || events.terminals() > warmUp) {
          peak = liveHeap(jvms);
          peakTaken = true;
        }
      }
      if (Instant.now().isAfter(nextReport)) {
        progress.printf("      ... %d of %d jobs ended%n", events.terminals() - warmUp, jobs);
        nextReport = Instant.now().plusSeconds(10);
      }
      sleep(liveHeap && !peakTaken ? 200 : 50);
    }
    if (events.terminals() - warmUp < jobs && !reportsUnended) {
      throw new IllegalStateException(
          kind.wire()
              + ": only "
              + (events.terminals() - warmUp)
              + " of "
              + jobs
              + " jobs ended before the run's timeout; see the contender logs");
    }
    return peak;
  }

  /**
   * A small unmeasured batch first (one job for the sequential consumer): class loading, the prompt
   * tokenizer's tables, connection pools and the first JIT compilations are start-up costs, not
   * per-job costs, and would otherwise land on the first jobs of the measured batch. Returns its
   * size.
   */
  private int warmUp(
      BenchEnvironment env,
      RunTopics topics,
      EventCollector events,
      String runId,
      Scenario scenario) {
    // The one-at-a-time consumer would take minutes over a real warm-up; its rate is bound by the
    // upstream anyway.
    int count = kind == Kind.SEQUENTIAL ? 1 : warmUpJobs;
    // Short tasks whatever the scenario's latency (a simulator marker): warming up is about code,
    // not waiting.
    env.feeder()
        .feed(topics.jobs(), runId + "-warm-up", count, scenario.images(), " [sim:duration=200ms]");
    Instant deadline = Instant.now().plus(timeout(scenario));
    while (events.terminals() < count) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            kind.wire() + ": the warm-up batch did not end; see the contender logs");
      }
      sleep(20);
    }
    return count;
  }

  private static LiveSample liveHeap(List<ContenderProcess> jvms) {
    long bytes = 0;
    int inFlight = 0;
    for (ContenderProcess jvm : jvms) {
      Map<String, String> answer = jvm.ask("gc", "live_heap");
      bytes += Long.parseLong(answer.get("live_heap"));
      inFlight += Integer.parseInt(answer.get("in_flight"));
    }
    return new LiveSample(bytes, inFlight);
  }

  private record LiveSample(long bytes, int inFlight) {}

  /**
   * Generous, yet a stuck run ends: ten times the ideal duration or the batch at 10 jobs/s,
   * whichever is longer, plus two minutes. Under a creation limit, where the limit sets the pace:
   * twice the batch at the permitted rate, plus three minutes for the tasks' tail; what has not
   * ended by then is reported lost.
   */
  private Duration timeout(Scenario scenario) {
    if (scenario.limits().createsPerSecond() > 0) {
      long paced = Math.round(2_000.0 * jobs / scenario.limits().createsPerSecond());
      return Duration.ofMillis(paced).plusMinutes(3);
    }
    long perJobMs = scenario.latencyDistribution().sample(new Random(1)).toMillis();
    int capacity = (kind == Kind.SEQUENTIAL ? 1 : maxInFlight) * workers;
    long ideal = 10L * jobs * perJobMs / capacity;
    return Duration.ofMillis(Math.max(ideal, jobs * 100L)).plusMinutes(2);
  }

  /**
   * A worker's configuration on one run's topics, the broker and the simulator, with the scenario's
   * extra keys.
   */
  static Map<String, String> workerValues(
      BenchEnvironment env, Scenario scenario, RunTopics topics, Path runDir, String runId) {
    Map<String, String> values = env.sandbox().workerSettings(runDir.resolve("images"));
    values.put("kafka.group.id", runId);
    values.put("topics.jobs", topics.jobs());
    values.put("topics.events", topics.events());
    values.put("topics.dead-letters", topics.deadLetters());
    values.put("topics.state", topics.state());
    values.put("topics.route-health", topics.routeHealth());
    values.put("topics.workers", topics.workers());
    values.put("upstream.api-key", env.simulator().apiKey());
    values.put("intake.shutdown-grace", "5s");
    values.put("ops.bind", "127.0.0.1");
    if (!scenario.limits().isLimited()) {
      // The simulator limits no rate here: there is nothing to learn, and a slow start would only
      // measure itself.
      values.put("rate.adaptive", "false");
    }
    values.putAll(scenario.workerProperties());
    return values;
  }

  private Path writeConfig(
      BenchEnvironment env,
      Scenario scenario,
      RunTopics topics,
      Optional<TenantTopics> tenantTopics,
      Path runDir,
      String runId) {
    Map<String, String> values = workerValues(env, scenario, topics, runDir, runId);
    tenantTopics.ifPresent(t -> values.put("tenants.topic-prefix", t.base()));
    tenants.ifPresent(load -> values.putAll(load.workerProperties()));
    values.putIfAbsent("intake.max-in-flight", Integer.toString(maxInFlight));
    try {
      return Sandbox.writeWorkerConfig(
          runDir.resolve("worker.properties"), "written by imagefleet bench", values);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runDir, e);
    }
  }

  private static Duration cpu(List<ContenderProcess> jvms) {
    return jvms.stream().map(ContenderProcess::cpu).reduce(Duration.ZERO, Duration::plus);
  }

  private static Duration jitCpu(List<ContenderProcess> jvms) {
    return jvms.stream().map(ContenderProcess::jitCpu).reduce(Duration.ZERO, Duration::plus);
  }

  private static Duration benchCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * The stored images are the contenders' work, not a result: a default run would leave about 700
   * MB.
   */
  private static void deleteImages(Path images) {
    if (!Files.exists(images)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(images)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + images, e);
    }
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
