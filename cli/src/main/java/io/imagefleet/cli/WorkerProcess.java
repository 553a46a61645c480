package io.imagefleet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker in its own JVM, as in a real fleet: started with the worker's own classpath (no broker,
 * no simulator on it), stopped with SIGTERM so it shuts down gracefully.
 */
final class WorkerProcess implements AutoCloseable {
  /** Set by bin/imagefleet to the production worker's runtime classpath. */
  static final String CLASSPATH_PROPERTY = "imagefleet.worker.classpath";

  private final String name;
  private final Process process;

  private WorkerProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  static WorkerProcess start(String name, Path config, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty(CLASSPATH_PROPERTY, System.getProperty("java.class.path")));
    command.add("io.imagefleet.worker.cli.WorkerCommand");
    command.add("--config");
    command.add(config.toString());
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new WorkerProcess(name, pb.start());
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no hand-over, no last commit. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then wait; SIGKILL if it does not stop in time. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
