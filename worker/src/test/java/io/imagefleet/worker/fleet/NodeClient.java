package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The kafkajs client of docs/clients/node, run as other teams run it: the very files the docs show,
 * installed with {@code npm ci} from their committed lock file into {@code target/node-client}, and
 * run with {@code node}. A machine without Node.js fails the test with what to install, never skips
 * it.
 */
final class NodeClient {
  /** The documented client, relative to the worker module. */
  static final Path SOURCE = Path.of("..", "docs", "clients", "node");

  /** The job request schema teams build jobs from, relative to the worker module. */
  static final Path JOB_SCHEMA =
      Path.of(
          "..", "contracts", "src", "main", "resources", "schemas", "job-request.v1.schema.json");

  private final Path directory;

  private NodeClient(Path directory) {
    this.directory = directory;
  }

  /**
   * Copies the documented client into {@code directory} and installs its locked dependencies,
   * unless the same lock file is installed there already.
   */
  static NodeClient install(Path directory) throws IOException, InterruptedException {
    requireTool("node", "--version");
    requireTool("npm", "--version");
    Files.createDirectories(directory);
    Path lock = directory.resolve("package-lock.json");
    boolean installed =
        Files.exists(directory.resolve("node_modules").resolve("kafkajs"))
            && Files.exists(lock)
            && Files.mismatch(lock, SOURCE.resolve("package-lock.json")) == -1;
    try (Stream<Path> files = Files.list(SOURCE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(
            file, directory.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!installed) {
      run(directory, Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
    }
    return new NodeClient(directory);
  }

  /** Runs {@code script} to its end; its standard output, line by line. */
  List<String> run(Duration timeout, String script, String... args)
      throws IOException, InterruptedException {
    return run(directory, timeout, command(script, args));
  }

  /** Starts {@code script}; its standard output goes to {@code out}, its errors to {@code err}. */
  Process start(Path out, Path err, String script, String... args) throws IOException {
    return new ProcessBuilder(command(script, args))
        .directory(directory.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
  }

  private static String[] command(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private static List<String> run(Path directory, Duration timeout, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("node-client-", ".out");
    Path err = Files.createTempFile("node-client-", ".err");
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

  private static void requireTool(String tool, String versionFlag) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(tool, versionFlag).redirectErrorStream(true).start();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      // not installed: reported below
    }
    fail(
        "This test runs the kafkajs client of docs/clients/node and needs Node.js 18+ with npm on"
            + " the PATH, but '%s' was not found. Install them (Debian: apt-get install nodejs npm;"
            + " .ci/run does) and run again.",
        tool);
  }
}
