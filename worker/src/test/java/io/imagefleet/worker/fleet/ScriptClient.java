package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client of the contract in another language, run as other teams run it: the very scripts that
 * docs/clients.md shows, one that publishes jobs built from the JSON Schema and one that follows
 * the events topic, printing each event as a line of JSON. A machine that lacks the language or its
 * Kafka client fails the test with what to install, never skips it.
 */
abstract class ScriptClient {
  /** The documented clients, relative to the worker module. */
  static final Path DOCS = Path.of("..", "docs", "clients");

  /** The job request schema teams build jobs from, relative to the worker module. */
  static final Path JOB_SCHEMA =
      Path.of(
          "..", "contracts", "src", "main", "resources", "schemas", "job-request.v1.schema.json");

  private final Path directory;

  ScriptClient(Path directory) {
    this.directory = directory;
  }

  /** The client's name in assertions and messages. */
  abstract String name();

  /** The command that runs {@code script} of this client with {@code args}. */
  abstract List<String> command(String script, String... args);

  abstract String publishScript();

  abstract String consumeScript();

  /** Publishes {@code count} jobs named {@code prefix-INDEX}; their ids, in order. */
  List<String> publishJobs(String bootstrap, String topic, String prefix, int count)
      throws IOException, InterruptedException {
    return run(
        directory,
        Duration.ofSeconds(60),
        command(
            publishScript(),
            bootstrap,
            topic,
            JOB_SCHEMA.toAbsolutePath().toString(),
            prefix,
            String.valueOf(count)));
  }

  /** Starts following {@code topic} in consumer group {@code group}. */
  Process consumeEvents(Path out, Path err, String bootstrap, String topic, String group)
      throws IOException {
    return new ProcessBuilder(command(consumeScript(), bootstrap, topic, group))
        .directory(directory.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
  }

  /** The prompt the publish scripts give job {@code jobId} ({@code PREFIX-INDEX}). */
  static String promptOf(String jobId) {
    int dash = jobId.lastIndexOf('-');
    return "a ceramic vase, studio light, take "
        + jobId.substring(dash + 1)
        + " of "
        + jobId.substring(0, dash);
  }

  /** Runs {@code command} in {@code directory} to its end; its standard output, line by line. */
  static List<String> run(Path directory, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("script-client-", ".out");
    Path err = Files.createTempFile("script-client-", ".err");
    Process process =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      fail(
          "%s did not end within %s: %s",
          String.join(" ", command), timeout, Files.readString(err));
    }
    if (process.exitValue() != 0) {
      fail(
          "%s exited with %d: %s%s",
          String.join(" ", command),
          process.exitValue(),
          Files.readString(err),
          Files.readString(out));
    }
    return Files.readAllLines(out);
  }

  /** Whether {@code command} runs and exits 0 within 30 s. */
  static boolean succeeds(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // not installed
    }
  }

  static List<String> concat(List<String> head, String script, String... args) {
    List<String> command = new ArrayList<>(head);
    command.add(script);
    command.addAll(List.of(args));
    return command;
  }
}
