package io.imagefleet.bench;

import io.imagefleet.bench.contenders.ContenderMain;
import io.imagefleet.bench.contenders.Kind;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One contender JVM ({@link ContenderMain}): started with the same flags for every contender, read
 * through its stdout (every line goes to its log file; {@code BENCH} lines are answers), and
 * measured from outside: CPU time from the OS ({@code ProcessHandle}, i.e. {@code
 * /proc/<pid>/stat}) and peak resident memory from {@code /proc/<pid>/status} ({@code VmHWM}).
 */
final class ContenderProcess implements AutoCloseable {
  private final String name;
  private final String logName;
  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private ContenderProcess(String name, Process process, Path log) throws IOException {
    this.name = name;
    this.logName = log.getFileName().toString();
    this.process = process;
    this.commands =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Writer logFile = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> pump(logFile), "bench-child-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static ContenderProcess start(
      String name,
      Kind kind,
      Path config,
      Path log,
      int heapMb,
      String logLevel,
      Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMb + "m");
    // The same collector as a worker launched by the CLI; small heaps, two cores.
    command.add("-XX:+UseSerialGC");
    command.add("-Dlogback.configurationFile=imagefleet-bench-child-logback.xml");
    command.add("-Dbench.log-level=" + logLevel);
    // For profiling a contender, e.g.
    // IMAGEFLEET_BENCH_CHILD_OPTS="-XX:StartFlightRecording=filename=x.jfr".
    String extra = System.getenv("IMAGEFLEET_BENCH_CHILD_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ContenderMain.class.getName());
    command.add(kind.wire());
    command.add(config.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      return new ContenderProcess(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start contender JVM " + name, e);
    }
  }

  String name() {
    return name;
  }

  /** The log file of a run's {@code index}-th JVM (from 1), in the run's directory. */
  static String logName(int index) {
    return "worker-" + index + ".log";
  }

  /** The file name of this JVM's log. */
  String logName() {
    return logName;
  }

  long pid() {
    return process.pid();
  }

  private void pump(Writer log) {
    try (log;
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        log.write(line);
        log.write('\n');
        if (line.startsWith(ContenderMain.PREFIX)) {
          log.flush();
          answers.add(line.substring(ContenderMain.PREFIX.length()));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Waits for an answer line starting with {@code word}; returns its {@code key=value} fields. */
  Map<String, String> await(String word, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    try {
      while (true) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        String line = left > 0 ? answers.poll(left, TimeUnit.MILLISECONDS) : null;
        if (line == null) {
          throw new IllegalStateException(
              "contender "
                  + name
                  + " did not answer '"
                  + word
                  + "' within "
                  + timeout
                  + (process.isAlive()
                      ? ""
                      : " (its JVM exited with " + process.exitValue() + "; see its log)"));
        }
        if (line.startsWith("error")) {
          throw new IllegalStateException("contender " + name + ": " + line);
        }
        if (line.startsWith(word)) {
          return fields(line);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static Map<String, String> fields(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String token : line.trim().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        fields.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    return fields;
  }

  Map<String, String> ask(String command, String answer) {
    send(command);
    return await(answer, Duration.ofSeconds(60));
  }

  void send(String command) {
    try {
      commands.write(command + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("contender " + name + " is gone", e);
    }
  }

  /** CPU time (user + system) the JVM has used so far. */
  Duration cpu() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * CPU time (user + system) the JVM's JIT compiler threads have used so far (Linux: their {@code
   * /proc/<pid>/task/<tid>/stat}, named {@code C1/C2 CompilerThread}); zero where unknown.
   * Compiling is a cost a worker pays once, in its first minutes; over a benchmark of tens of
   * seconds it is a large part of the CPU a JVM uses, so it is shown apart from the work.
   */
  Duration jitCpu() {
    return JitCpu.of(process.pid());
  }

  /** The JVM's peak resident set size so far, in bytes (Linux {@code VmHWM}); 0 where unknown. */
  long peakRssBytes() {
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or gone
    }
    return 0;
  }

  /** Closes the contender gracefully; returns its peak heap use in bytes. */
  long stop() {
    Map<String, String> answer = ask("stop", "stopped");
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Long.parseLong(answer.getOrDefault("peak_heap", "0"));
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
