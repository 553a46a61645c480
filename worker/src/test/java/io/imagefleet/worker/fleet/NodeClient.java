package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * docs/clients/node with kafkajs as npm installs it (no codec plugin): copied into a directory of
 * the build and installed there with {@code npm ci} from its committed lock file, so the build
 * needs no step of its own and the source tree stays clean.
 */
final class NodeClient extends ScriptClient {
  private static final Path SOURCE = DOCS.resolve("node");

  private NodeClient(Path directory) {
    super(directory);
  }

  /**
   * Copies the documented client into {@code directory} and installs its locked dependencies,
   * unless that lock file is installed there already.
   */
  static NodeClient install(Path directory) throws IOException, InterruptedException {
    for (String tool : List.of("node", "npm")) {
      if (!succeeds(List.of(tool, "--version"))) {
        fail(
            "This test runs the kafkajs client of docs/clients/node and needs Node.js 18+ with"
                + " npm on the PATH, but '%s' was not found. Install them (Debian: apt-get install"
                + " nodejs npm; .ci/run does) and run again.",
            tool);
      }
    }
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
      run(directory, Duration.ofMinutes(5), List.of("npm", "ci", "--no-audit", "--no-fund"));
    }
    return new NodeClient(directory);
  }

  @Override
  String name() {
    return "kafkajs";
  }

  @Override
  List<String> command(String script, String... args) {
    return concat(List.of("node"), script, args);
  }

  @Override
  String publishScript() {
    return "publish-jobs.js";
  }

  @Override
  String consumeScript() {
    return "consume-events.js";
  }
}
