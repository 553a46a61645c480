package io.imagefleet.bench;

import io.imagefleet.bench.contenders.Kind;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one benchmark run measures. Presets cover the targets; every field can be changed
 * from the command line.
 *
 * @param name preset name, reported with the figures
 * @param jobs jobs in the main batch of each contender
 * @param workers worker JVMs per contender
 * @param maxInFlight in-flight cap per worker (Parallel Consumer: {@code maxConcurrency})
 * @param latency upstream task time: {@code fixed:2s}, {@code 2s}, {@code uniform:1s..3s}, {@code
 *     lognormal:20s..90s} (median..p99)
 * @param images images per job ({@code n})
 * @param contenders who runs, in order
 * @param sweep in-flight caps for the chart (imagefleet and Parallel Consumer); empty for none
 * @param sweepWaves jobs per sweep point = cap x waves
 * @param sequentialBudget the one-at-a-time consumer gets this long, then its rate is taken
 * @param partitions partitions of each jobs and events topic
 * @param heapMb {@code -Xmx} of every contender JVM
 * @param logLevel log level of every contender JVM
 * @param workerProperties extra worker configuration keys for every contender
 * @param scaleOut also run imagefleet with 1 and 2 workers and compare
 * @param liveHeap measure the live heap (after a full GC) at the in-flight peak
 * @param warmUpJobs short jobs each contender JVM runs before it is measured, so that the figures
 *     describe warmed-up code: a cold JVM spends much of a short run compiling, because a method a
 *     job calls once reaches C2 only after thousands of jobs (docs/benchmark-log.md has the runs);
 *     sweep points take at most 4 rounds of their capacity
 * @param limits the simulator's rate limits during each measured batch (not during warm-ups); a
 *     limited run reports the jobs it did not end instead of failing, and adds the rate-limit
 *     figures (docs/benchmark.md)
 * @param tenants a busy and a quiet tenant on their own topics instead of one batch on the shared
 *     topic ({@link TenantMix#NONE} for one batch); imagefleet alone
 */
record Scenario(
    String name,
    int jobs,
    int workers,
    int maxInFlight,
    String latency,
    int images,
    List<Kind> contenders,
    List<Integer> sweep,
    int sweepWaves,
    Duration sequentialBudget,
    int partitions,
    int heapMb,
    String logLevel,
    Map<String, String> workerProperties,
    boolean scaleOut,
    boolean liveHeap,
    int warmUpJobs,
    UpstreamLimits limits,
    TenantMix tenants) {

  static final List<String> PRESETS =
      List.of(
          "default",
          "zero-latency",
          "10k-in-flight",
          "scale-out",
          "rate-limited",
          "noisy-neighbour",
          "smoke");

  Scenario {
    positive("jobs", jobs);
    positive("workers", workers);
    positive("max-in-flight", maxInFlight);
    positive("images", images);
    positive("partitions", partitions);
    positive("heap", heapMb);
    positive("warm-up", warmUpJobs);
    if (images > 10) {
      throw new IllegalArgumentException(
          "--images must be at most 10 (the job contract's n), but was " + images);
    }
    if (workers > partitions) {
      throw new IllegalArgumentException(
          "--workers ("
              + workers
              + ") must not exceed --partitions ("
              + partitions
              + "): extra workers would sit idle");
    }
    contenders = List.copyOf(contenders);
    if (contenders.isEmpty()) {
      throw new IllegalArgumentException("--contenders must name at least one contender");
    }
    sweep = List.copyOf(sweep);
    sweep.forEach(cap -> positive("sweep", cap));
    workerProperties = Map.copyOf(workerProperties);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(tenants, "tenants");
    if (tenants.isOn() && !contenders.equals(List.of(Kind.IMAGEFLEET))) {
      throw new IllegalArgumentException(
          "--contenders must be imagefleet alone with a quiet tenant (only the worker serves"
              + " tenants' own topics), but was "
              + contenders);
    }
    parseLatency(latency); // validates
  }

  /**
   * The warm-up of a sweep point: at most four rounds of its in-flight capacity, so a chart point
   * of three waves does not wait on a warm-up sized for the main batch (at cap 64 a 200 ms job
   * still waits for the 1 s poll floor, so 12,000 of them would take minutes).
   */
  int shortWarmUpJobs(int cap) {
    return Math.min(warmUpJobs, 4 * cap * workers);
  }

  DurationDistribution latencyDistribution() {
    return parseLatency(latency);
  }

  /** {@code fixed:2s} or anything {@link DurationDistribution#parse} reads. */
  static DurationDistribution parseLatency(String latency) {
    String text = latency.startsWith("fixed:") ? latency.substring("fixed:".length()) : latency;
    return DurationDistribution.parse(text);
  }

  static Scenario preset(String name) {
    List<Kind> all = List.of(Kind.IMAGEFLEET, Kind.PARALLEL_CONSUMER, Kind.SEQUENTIAL);
    return switch (name) {
      case "default" ->
          new Scenario(
              name,
              4000,
              1,
              512,
              "fixed:2s",
              1,
              all,
              List.of(64, 128, 256, 512),
              3,
              Duration.ofSeconds(12),
              12,
              512,
              "WARN",
              Map.of(),
              false,
              false,
              12_000,
              UpstreamLimits.NONE,
              TenantMix.NONE);
      // No upstream time: what one worker's CPU can carry. The poll floor drops to 1 ms, else every
      // job would wait the 1 s minimum poll interval and the run would be timer bound, not CPU
      // bound.
      case "zero-latency" ->
          new Scenario(
              name,
              10000,
              1,
              512,
              "fixed:0s",
              1,
              List.of(Kind.IMAGEFLEET, Kind.PARALLEL_CONSUMER),
              List.of(),
              4,
              Duration.ofSeconds(20),
              12,
              512,
              "WARN",
              Map.of("polling.min-interval", "1ms"),
              false,
              false,
              12_000,
              UpstreamLimits.NONE,
              TenantMix.NONE);
      // Long enough tasks that all 10,000 are in flight together before the first one ends.
      case "10k-in-flight" ->
          new Scenario(
              name,
              10000,
              1,
              10000,
              "fixed:60s",
              1,
              List.of(Kind.IMAGEFLEET),
              List.of(),
              4,
              Duration.ofSeconds(20),
              12,
              512,
              "WARN",
              Map.of(),
              false,
              true,
              1000,
              UpstreamLimits.NONE,
              TenantMix.NONE);
      // A cap small enough that the cap, not this machine's two cores, bounds 1 and 2 workers
      // alike.
      case "scale-out" ->
          new Scenario(
              name,
              1536,
              1,
              64,
              "fixed:2s",
              1,
              List.of(Kind.IMAGEFLEET),
              List.of(),
              4,
              Duration.ofSeconds(20),
              12,
              512,
              "WARN",
              Map.of(),
              true,
              false,
              256,
              UpstreamLimits.NONE,
              TenantMix.NONE);
      // The gateway's rate limits per API key, shared by three workers: whether a fleet turns 429s
      // into pacing (creations at the permitted rate, few 429s, no breaker opened, paid tasks
      // still polled) rather than into failures. Task times are log-normal 20 s median / 90 s
      // p99: real tasks take tens of seconds, and this tail keeps the run within about five
      // minutes (the simulator's default 30 s / 3 min tail would add two).
      case "rate-limited" ->
          new Scenario(
              name,
              3000,
              3,
              512,
              "lognormal:20s..90s",
              1,
              List.of(Kind.IMAGEFLEET),
              List.of(),
              4,
              Duration.ofSeconds(20),
              12,
              512,
              "WARN",
              Map.of(),
              false,
              false,
              600,
              new UpstreamLimits(20, 60),
              TenantMix.NONE);
      // The noisy neighbour: a busy tenant's backlog published at once, a quiet tenant's
      // small batch a little later, each on its own topic. Short fixed tasks keep the three
      // batches (fair, one tenant, FIFO) within minutes while the backlog is still deep when the
      // quiet tenant publishes; docs/benchmark.md says why each value was chosen.
      case "noisy-neighbour" ->
          new Scenario(
              name,
              20_000,
              2,
              512,
              "fixed:3s",
              1,
              List.of(Kind.IMAGEFLEET),
              List.of(),
              4,
              Duration.ofSeconds(20),
              12,
              512,
              "WARN",
              Map.of(),
              false,
              false,
              2_000,
              UpstreamLimits.NONE,
              new TenantMix(100, Duration.ofSeconds(10), true, TenantMix.FAIR_SHARE_OFF));
      // A few seconds end to end; the build's smoke test runs it.
      case "smoke" ->
          new Scenario(
              name,
              24,
              1,
              8,
              "fixed:300ms",
              1,
              all,
              List.of(8),
              2,
              Duration.ofSeconds(2),
              2,
              256,
              "WARN",
              Map.of("polling.min-interval", "100ms"),
              false,
              false,
              8,
              UpstreamLimits.NONE,
              TenantMix.NONE);
      default ->
          throw new IllegalArgumentException(
              "--scenario must be one of " + PRESETS + ", but was '" + name + "'");
    };
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("--" + name + " must be > 0, but was " + value);
    }
  }
}
