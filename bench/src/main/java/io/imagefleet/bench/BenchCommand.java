package io.imagefleet.bench;

import io.imagefleet.bench.contenders.Kind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet bench}: runs the worker and the alternatives side by side on the embedded broker
 * and the upstream simulator, prints the table, writes {@code target/bench/latest.json} and the chart.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Measures throughput, latency, overhead, CPU and memory of the worker against a plain one-record-at-a-time",
        "KafkaConsumer loop and Confluent's Parallel Consumer (unordered, same concurrency), in one run on the",
        "embedded broker and the upstream simulator. Each contender runs in its own JVM(s) on its own topics.",
        "Writes the figures to OUT/latest.json and the throughput-against-cap chart to OUT/latest.svg.",
        "Presets: default (about 3 minutes), zero-latency, 10k-in-flight, scale-out, smoke. Flags override them."})
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--scenario", defaultValue = "default", description = "Preset: ${COMPLETION-CANDIDATES}.",
      completionCandidates = Presets.class)
  String scenario;

  @Option(names = "--jobs", description = "Jobs per contender in the main batch.")
  Integer jobs;

  @Option(names = "--workers", description = "JVMs per contender.")
  Integer workers;

  @Option(names = "--max-in-flight", description = "In-flight cap per worker (Parallel Consumer: maxConcurrency).")
  Integer maxInFlight;

  @Option(names = "--latency", description = "Upstream task time: fixed:2s, 2s, uniform:1s..3s or lognormal:20s..90s (median..p99).")
  String latency;

  @Option(names = "--images", description = "Images per job (1-10).")
  Integer images;

  @Option(names = "--contenders", split = ",", description = "Who runs: imagefleet, parallel-consumer, sequential (comma separated).")
  List<String> contenders;

  @Option(names = "--sweep", split = ",", description = "In-flight caps for the chart, e.g. 64,128,256,512; 0 for none.")
  List<Integer> sweep;

  @Option(names = "--sequential-budget", description = "Seconds the one-at-a-time consumer is measured for.")
  Integer sequentialBudget;

  @Option(names = "--partitions", description = "Partitions of each jobs and events topic.")
  Integer partitions;

  @Option(names = "--heap", description = "-Xmx of every contender JVM, in MB.")
  Integer heapMb;

  @Option(names = "--log-level", description = "Log level of every contender JVM (default WARN, so CPU compares work, not logging).")
  String logLevel;

  @Option(names = "--worker-property", paramLabel = "KEY=VALUE", description = "Extra worker configuration for every contender, e.g. polling.jitter=0.05.")
  Map<String, String> workerProperties = Map.of();

  @Option(names = "--warm-up", paramLabel = "JOBS",
      description = "Short jobs each contender JVM runs before its main batch is measured (JIT warm-up; "
          + "sweep points take at most 4 rounds of their cap).")
  Integer warmUpJobs;

  @Option(names = "--out", description = "Where the JSON, the chart and the run's logs go (default: target/bench under the project).")
  Path out;

  @Override
  public Integer call() throws IOException {
    Scenario chosen;
    try {
      chosen = Scenario.preset(scenario).with(jobs, workers, maxInFlight, latency, images,
          contenders == null ? null : contenders.stream().map(Kind::parse).toList(),
          sweep == null ? null : sweep.stream().filter(c -> c > 0).toList(),
          sequentialBudget == null ? null : Duration.ofSeconds(sequentialBudget), partitions, heapMb, logLevel,
          workerProperties, warmUpJobs);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    Path dir = (out != null ? out : Path.of(System.getProperty("imagefleet.home", "."), "target", "bench"))
        .toAbsolutePath().normalize();
    Path work = dir.resolve("work");
    clear(work);
    PrintStream console = System.out;
    BenchResults results = new BenchRun(chosen, work, console).execute();
    console.print(Report.render(results));
    List<Path> files = ResultFiles.write(results, dir);
    console.println("Figures: " + files.stream().map(Path::toString).toList());
    console.println("Contender logs: " + work);
    return 0;
  }

  private static void clear(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }

  static final class Presets implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Scenario.PRESETS.iterator();
    }
  }

  /** Runs the benchmark without the rest of the CLI (the smoke test and IDEs use it). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
  }
}
