package io.imagefleet.worker.cli;

import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigException;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imagefleet worker}: runs one production worker until SIGTERM. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one worker: consumes jobs, drives the upstream, stores images, publishes status events.",
      "Configuration: a properties file (--config) plus IMAGEFLEET_* environment overrides; every"
          + " key: docs/configuration.md.",
      "Stops gracefully on SIGTERM / Ctrl-C: stops intake, lets in-flight jobs finish, commits."
    })
public final class WorkerCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Worker configuration (properties file).")
  Path config;

  @Option(
      names = "--print-config",
      description =
          "Print the effective configuration as sorted key=value lines (secrets redacted) and"
              + " exit.")
  boolean printConfig;

  @Spec CommandSpec spec;

  /** Where IMAGEFLEET_* overrides come from: the process environment, or a test's. */
  Map<String, String> env = System.getenv();

  /** Exit status of a worker that could not start (EX_UNAVAILABLE): the reason is one line. */
  static final int EXIT_START_FAILED = 69;

  /** Must run before the first logger is created: Logback reads its configuration once. */
  /** Exit status of a worker whose intake loop failed (EX_SOFTWARE). */
  static final int EXIT_INTAKE_FAILED = ExitCode.INTERNAL.code();

  static void selectLogFormat() {
    if ("json".equalsIgnoreCase(System.getenv("IMAGEFLEET_LOG_FORMAT"))
        && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (config != null && !Files.isReadable(config)) {
      err.println(
          "error: config file " + config + " cannot be read. Pass an existing file with --config.");
      return ExitCode.USAGE.code();
    }
    WorkerConfig loaded;
    try {
      loaded = ConfigLoader.load(config, env);
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return ExitCode.USAGE.code();
    }
    if (printConfig) {
      spec.commandLine()
          .getOut()
          .print(ConfigDump.describe(ConfigLoader.effectiveValues(config, env), loaded.workerId()));
      spec.commandLine().getOut().flush();
      return 0;
    }
    Worker worker;
    try {
      worker = Worker.start(loaded);
    } catch (RuntimeException e) {
      // Each start-up check words its own reason and what to do; the trace is for a bug report.
      err.println("error: " + firstLine(e.getMessage()));
      if (verbose() || LoggerFactory.getLogger(WorkerCommand.class).isDebugEnabled()) {
        e.printStackTrace(err);
      }
      err.flush();
      return EXIT_START_FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                },
                "shutdown"));
    // A worker whose intake died takes no jobs: exit, so that a supervisor starts a healthy one.
    Thread watch =
        new Thread(
            () -> {
              try {
                worker.awaitIntakeEnd();
              } catch (InterruptedException e) {
                return;
              }
              if (worker.intakeFailure().isPresent()) {
                stopped.countDown();
              }
            },
            "intake-watch");
    watch.setDaemon(true);
    watch.start();
    stopped.await();
    if (worker.intakeFailure().isPresent()) {
      err.println(
          "error: " + worker.intakeFailure().get() + "; exiting so that the worker is restarted");
      return EXIT_INTAKE_FAILED;
    }
    return 0;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "the worker did not start (run with --verbose for the stack trace)";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  /**
   * On a machine with two CPUs or fewer the JVM's common pool has a single thread, and then every
   * {@code CompletableFuture} "async" step without an executor (ours, or a library's) runs on a
   * brand-new thread: a thread created and destroyed per step, on the hot path of every job. Two
   * common-pool threads keep them pooled. Must run before anything touches {@code ForkJoinPool}; an
   * explicit {@code -D} setting wins.
   */
  public static void ensureCommonPool() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(key, "2");
    }
  }

  public static void main(String[] args) {
    ensureCommonPool();
    selectLogFormat();
    CommandLine worker = new CommandLine(new WorkerCommand());
    worker.addMixin("verbose", new Verbose());
    System.exit(worker.execute(args));
  }

  /**
   * {@code --verbose}: inherited from {@code imagefleet}, whose every command takes it, or added by
   * {@link #main} when the worker runs on its own.
   */
  private boolean verbose() {
    OptionSpec option = spec.findOption("--verbose");
    return option != null && Boolean.TRUE.equals(option.getValue());
  }

  /** The worker's own {@code --verbose}, when it runs without the {@code imagefleet} command. */
  static final class Verbose {
    @Option(
        names = "--verbose",
        description = "On a failed start, print the stack trace under the one-line reason.")
    boolean verbose;
  }
}
