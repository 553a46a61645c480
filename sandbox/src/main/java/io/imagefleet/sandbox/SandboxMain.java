package io.imagefleet.sandbox;

import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the stand-ins for the outside world as a process: the embedded Kafka broker and/or the
 * upstream simulator, for demos, manual runs and tests of other processes.
 *
 * <p>Why a separate entry point: a worker started from a shell or a script needs a broker and an
 * upstream without Docker. The addresses are printed on stdout as {@code bootstrap=host:port} and
 * {@code upstream=http://host:port} (plus {@code api-key=...}) so a script can read them; logs go
 * to stderr. With both, it also writes a worker configuration for them into its data directory and
 * prints the commands that come next.
 *
 * <p>Runs until SIGTERM (Ctrl-C): never reads the terminal unless asked to ({@code
 * --stop-at-end-of-stdin}), so that {@code sandbox &}, {@code nohup} and scripts with no stdin keep
 * it running.
 */
@Command(
    name = "imagefleet sandbox",
    mixinStandardHelpOptions = true,
    version = "imagefleet sandbox 0.1.0",
    description = {
      "Starts an in-process Kafka broker and/or the upstream image API simulator, until SIGTERM"
          + " (Ctrl-C). With neither --broker nor --simulator, starts both, creates the fleet's"
          + " topics, writes a worker configuration for them (DIR/worker.properties) and prints"
          + " the next commands."
    })
public final class SandboxMain implements Callable<Integer> {
  /** The demo's task times: a first job ends in seconds. Real tasks take 10 to 100 s. */
  static final String LOCAL_TASK_DURATION = "uniform:3s..10s";

  /** What the caller adds once the broker is up (the fleet's topics), given its address. */
  @FunctionalInterface
  public interface BrokerSetup {
    void prepare(String bootstrapServers) throws Exception;
  }

  @Option(names = "--broker", description = "Start the embedded KRaft Kafka broker.")
  boolean broker;

  @Option(names = "--simulator", description = "Start the upstream simulator.")
  boolean simulator;

  @Option(
      names = "--broker-port",
      defaultValue = "9092",
      description =
          "Broker port, the command line tools' default (0 = a free port). Default:"
              + " ${DEFAULT-VALUE}.")
  int brokerPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data/sandbox",
      description =
          "Broker data, images and worker.properties; kept on exit. A directory an earlier"
              + " sandbox made is cleared at start, any other non-empty one is refused."
              + " Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(
      names = "--simulator-host",
      defaultValue = "127.0.0.1",
      description = "Simulator bind address; its admin API has no auth. Default: ${DEFAULT-VALUE}.")
  String simulatorHost;

  @Option(
      names = "--simulator-port",
      defaultValue = "8089",
      description = "Simulator port (0 = a free port). Default: ${DEFAULT-VALUE}.")
  int simulatorPort;

  @Option(
      names = "--api-key",
      defaultValue = SimulatorConfig.DEFAULT_API_KEY,
      description = "API key the simulator accepts. Default: ${DEFAULT-VALUE}.")
  String apiKey;

  @Option(
      names = "--task-duration",
      defaultValue = LOCAL_TASK_DURATION,
      description =
          "Task run time: 5s, uniform:2s..10s or lognormal:30s..3m (median..p99; real tasks)."
              + " Default: ${DEFAULT-VALUE}, the demo's.")
  String taskDuration;

  @Option(
      names = "--creates-per-second",
      defaultValue = "0",
      description =
          "The simulated gateway's creation limit per API key and model, in requests per second;"
              + " beyond it, bursts of 429 with Retry-After (0 = unlimited). Default:"
              + " ${DEFAULT-VALUE}.")
  double createsPerSecond;

  @Option(
      names = "--queries-per-second",
      defaultValue = "0",
      description =
          "The simulated gateway's task-query limit per API key, in requests per second "
              + "(0 = unlimited). Default: ${DEFAULT-VALUE}.")
  double queriesPerSecond;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the simulator's random draws. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--stop-at-end-of-stdin",
      description =
          "Also stop when stdin ends: for a parent process that wants the sandbox gone with it.")
  boolean stopAtEndOfStdin;

  private final InputStream stdin;
  private final PrintStream stdout;
  private final BrokerSetup brokerSetup;

  SandboxMain(InputStream stdin, PrintStream stdout, BrokerSetup brokerSetup) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.brokerSetup = brokerSetup;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, bootstrap -> {}));
  }

  /**
   * Parses the arguments and runs until stopped; returns the exit code. {@code brokerSetup} runs
   * once the broker is up, before anything is printed as ready.
   */
  public static int run(
      String[] args, InputStream stdin, PrintStream stdout, BrokerSetup brokerSetup) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "imagefleet-sandbox-logback.xml");
    }
    return new CommandLine(new SandboxMain(stdin, stdout, brokerSetup))
        .setOut(new PrintWriter(stdout, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Logger log = LoggerFactory.getLogger(SandboxMain.class);
    boolean both = !broker && !simulator;
    List<AutoCloseable> running = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> closeAll(running, stopped, log), "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Path root;
      try {
        root = OwnedDirectory.claim(dataDir, "sandbox");
      } catch (OwnedDirectory.ForeignDirectoryException e) {
        stdout.flush();
        System.err.println("error: --data-dir " + dataDir + ": " + e.getMessage());
        return 2;
      }
      String bootstrap = null;
      if (broker || both) {
        EmbeddedKafkaBroker kafka =
            EmbeddedKafkaBroker.builder().port(brokerPort).dataDir(root.resolve("kafka")).start();
        running.add(kafka);
        bootstrap = kafka.bootstrapServers();
        if (both) {
          brokerSetup.prepare(bootstrap);
        }
        stdout.println("bootstrap=" + bootstrap);
      }
      if (simulator || both) {
        SimulatorConfig.Builder config =
            SimulatorConfig.builder()
                .bindHost(simulatorHost)
                .port(simulatorPort)
                .apiKey(apiKey)
                .seed(seed)
                .createsPerSecond(createsPerSecond)
                .queriesPerSecond(queriesPerSecond);
        config.taskDuration(DurationDistribution.parse(taskDuration));
        UpstreamSimulator upstream = UpstreamSimulator.start(config.build());
        running.add(upstream);
        stdout.println("upstream=" + upstream.baseUrl());
        stdout.println("api-key=" + upstream.apiKey());
        if (both) {
          Path workerConfig = LocalWorkerConfig.write(root, dataDir, bootstrap, upstream);
          stdout.println("worker-config=" + workerConfig);
          stdout.print(LocalWorkerConfig.nextCommands(workerConfig));
        }
      }
      stdout.flush();
      if (stopAtEndOfStdin) {
        drain(stdin);
        log.info("End of stdin: stopping");
      } else {
        stopped.await();
      }
    } finally {
      closeAll(running, stopped, log);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran; nothing to undo
      }
    }
    return 0;
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[1024];
    while (in.read(buffer) >= 0) {
      // wait for end of input
    }
  }

  private static synchronized void closeAll(
      List<AutoCloseable> running, CountDownLatch stopped, Logger log) {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        log.warn("Could not close {}", running.get(i), e);
      }
    }
    running.clear();
    stopped.countDown();
  }
}
