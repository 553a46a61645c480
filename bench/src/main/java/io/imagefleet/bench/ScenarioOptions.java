package io.imagefleet.bench;

import io.imagefleet.bench.contenders.Kind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The flags that change a preset. Each is null when not given, so the preset's value stands. A new
 * flag is declared here and applied in {@link #applyTo}, the one place where a preset and the flags
 * meet.
 */
final class ScenarioOptions {

  @Option(names = "--jobs", description = "Jobs per contender in the main batch.")
  Integer jobs;

  @Option(names = "--workers", description = "JVMs per contender.")
  Integer workers;

  @Option(
      names = "--max-in-flight",
      description = "In-flight cap per worker (Parallel Consumer: maxConcurrency).")
  Integer maxInFlight;

  @Option(
      names = "--latency",
      description =
          "Upstream task time: fixed:2s, 2s, uniform:1s..3s or lognormal:20s..90s (median..p99).")
  String latency;

  @Option(names = "--images", description = "Images per job (1-10).")
  Integer images;

  @Option(
      names = "--contenders",
      split = ",",
      description = "Who runs: imagefleet, parallel-consumer, sequential (comma separated).")
  List<String> contenders;

  @Option(
      names = "--sweep",
      split = ",",
      description = "In-flight caps for the chart, e.g. 64,128,256,512; 0 for none.")
  List<Integer> sweep;

  @Option(
      names = "--sequential-budget",
      paramLabel = "SECONDS",
      description = "Seconds the one-at-a-time consumer is measured for.")
  Integer sequentialBudgetSeconds;

  @Option(names = "--partitions", description = "Partitions of each jobs and events topic.")
  Integer partitions;

  @Option(names = "--heap", description = "-Xmx of every contender JVM, in MB.")
  Integer heapMb;

  @Option(
      names = "--log-level",
      description =
          "Log level of every contender JVM (default WARN, so CPU compares work, not logging).")
  String logLevel;

  @Option(
      names = "--worker-property",
      paramLabel = "KEY=VALUE",
      showDefaultValue = Visibility.NEVER,
      description =
          "Extra worker configuration for every contender; repeatable (for example"
              + " polling.jitter=0.05).")
  Map<String, String> workerProperties = Map.of();

  @Option(
      names = "--warm-up",
      paramLabel = "JOBS",
      description =
          "Short jobs each contender JVM runs before its main batch is measured (JIT warm-up; "
              + "sweep points take at most 4 rounds of their cap).")
  Integer warmUpJobs;

  @Option(
      names = "--creates-per-second",
      description =
          "The simulator's creation limit per API key and model during each measured batch "
              + "(token bucket; 0 = unlimited).")
  Double createsPerSecond;

  @Option(
      names = "--queries-per-second",
      description =
          "The simulator's task-query limit per API key during each measured batch (0 = unlimited).")
  Double queriesPerSecond;

  @Option(
      names = "--quiet-jobs",
      description = "noisy-neighbour: jobs of the quiet tenant, published after --quiet-delay.")
  Integer quietJobs;

  @Option(
      names = "--quiet-delay",
      paramLabel = "SECONDS",
      description = "noisy-neighbour: seconds from the busy tenant's first job to the quiet one's.")
  Integer quietDelaySeconds;

  @Option(
      names = "--fifo",
      negatable = true,
      description =
          "noisy-neighbour: also measure the two tenants with fair share off (--no-fifo skips it).")
  Boolean fifoRun;

  @Option(
      names = "--fifo-worker-property",
      paramLabel = "KEY=VALUE",
      showDefaultValue = Visibility.NEVER,
      description =
          "noisy-neighbour: the worker keys of the FIFO run, in place of tenants.fair-share=false;"
              + " repeatable.")
  Map<String, String> fifoProperties;

  /**
   * {@code preset} with every given flag in place of its value; worker properties are added to the
   * preset's.
   */
  Scenario applyTo(Scenario preset) {
    Map<String, String> properties = new HashMap<>(preset.workerProperties());
    properties.putAll(workerProperties);
    return new Scenario(
        preset.name(),
        or(jobs, preset.jobs()),
        or(workers, preset.workers()),
        or(maxInFlight, preset.maxInFlight()),
        or(latency, preset.latency()),
        or(images, preset.images()),
        contenders == null ? preset.contenders() : contenders.stream().map(Kind::parse).toList(),
        sweep == null ? preset.sweep() : sweep.stream().filter(cap -> cap > 0).toList(),
        preset.sweepWaves(),
        sequentialBudgetSeconds == null
            ? preset.sequentialBudget()
            : Duration.ofSeconds(sequentialBudgetSeconds),
        or(partitions, preset.partitions()),
        or(heapMb, preset.heapMb()),
        or(logLevel, preset.logLevel()),
        properties,
        preset.scaleOut(),
        preset.liveHeap(),
        or(warmUpJobs, preset.warmUpJobs()),
        new UpstreamLimits(
            or(createsPerSecond, preset.limits().createsPerSecond()),
            or(queriesPerSecond, preset.limits().queriesPerSecond())),
        tenants(preset.tenants()));
  }

  private TenantMix tenants(TenantMix preset) {
    if (quietJobs == null
        && quietDelaySeconds == null
        && fifoRun == null
        && fifoProperties == null) {
      return preset;
    }
    if (!preset.isOn()) {
      throw new IllegalArgumentException(
          "--quiet-jobs, --quiet-delay, --[no-]fifo and --fifo-worker-property apply to"
              + " --scenario noisy-neighbour only");
    }
    return new TenantMix(
        or(quietJobs, preset.quietJobs()),
        quietDelaySeconds == null ? preset.quietDelay() : Duration.ofSeconds(quietDelaySeconds),
        or(fifoRun, preset.fifoRun()),
        or(fifoProperties, preset.fifoProperties()));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
