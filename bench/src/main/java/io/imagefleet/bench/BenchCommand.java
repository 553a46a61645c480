package io.imagefleet.bench;

import io.imagefleet.worker.cli.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet bench}: runs the worker and the alternatives side by side on the embedded
 * broker and the upstream simulator, prints the table, writes {@code target/bench/latest.json} and
 * the chart.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the worker against a one-at-a-time consumer and Parallel Consumer.",
      "Measures throughput, latency, overhead, CPU and memory of the worker against a plain"
          + " one-record-at-a-time KafkaConsumer loop and Confluent's Parallel Consumer (unordered,"
          + " same concurrency), in one run on the embedded broker and the upstream simulator."
          + " Each contender runs in its own JVM(s) on its own topics.",
      "Writes the figures to OUT/latest.json and the throughput-against-cap chart to"
          + " OUT/latest.svg.",
      "Presets: default (about 5 minutes), zero-latency, 10k-in-flight, scale-out, rate-limited,"
          + " noisy-neighbour (a busy and a quiet tenant on their own topics; fair share against"
          + " one tenant and against FIFO), smoke. Flags override them."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--scenario",
      defaultValue = "default",
      description = "Preset: ${COMPLETION-CANDIDATES}.",
      completionCandidates = Presets.class)
  String scenario;

  @Mixin ScenarioOptions options = new ScenarioOptions();

  @Option(
      names = "--out",
      description =
          "Where the JSON, the chart and the run's logs go (default: target/bench under the project).")
  Path out;

  @Override
  public Integer call() throws IOException {
    Scenario chosen;
    try {
      chosen = options.applyTo(Scenario.preset(scenario));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      if ("console".equals(scenario)) {
        // Its own command: the console lives in the CLI, which this module cannot see.
        System.err.println("The web console's scenario is a command of its own: bench console");
      }
      return ExitCode.USAGE.code();
    }
    Path dir =
        (out != null ? out : Path.of(System.getProperty("imagefleet.home", "."), "target", "bench"))
            .toAbsolutePath()
            .normalize();
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
    public Iterator<String> iterator() {
      return Scenario.PRESETS.iterator();
    }
  }

  /** Runs the benchmark without the rest of the CLI (the smoke test and IDEs use it). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
