package io.imagefleet.sandbox;

import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker configuration the sandbox writes for itself: its broker, its simulator with the key
 * the simulator takes, images under its data directory, and the short polling of the demo. Keys are
 * those of docs/configuration.md.
 */
final class LocalWorkerConfig {
  static final String FILE = "worker.properties";

  private LocalWorkerConfig() {}

  /**
   * Writes {@code root/worker.properties} and returns its path as the user wrote the data directory
   * ({@code shownDir}), so that the printed commands can be pasted as they are.
   */
  static Path write(Path root, Path shownDir, String bootstrap, UpstreamSimulator upstream)
      throws IOException {
    String text =
        "# Written by 'imagefleet sandbox' for a worker on this machine:\n"
            + "#   bin/imagefleet worker --config "
            + shownDir.resolve(FILE)
            + "\n"
            + "kafka.bootstrap.servers="
            + bootstrap
            + "\n"
            + "upstream.base-url="
            + upstream.baseUrl()
            + "\n"
            // The simulator's key, not a credential: it opens nothing but the local simulator.
            + "upstream.api-key="
            + upstream.apiKey()
            + "\n"
            // Result links point at the simulator on this machine.
            + "upstream.allow-private-downloads=true\n"
            + "storage.directory="
            + root.resolve("images")
            + "\n"
            + "polling.min-interval=1s\n"
            + "polling.max-interval=2s\n"
            + "polling.running-event-every=2s\n"
            // A second worker from this file on this machine must not fight for port 9400.
            + "ops.port=0\n";
    Files.writeString(root.resolve(FILE), text, StandardCharsets.UTF_8);
    return shownDir.resolve(FILE);
  }

  static String nextCommands(Path workerConfig) {
    return "ready. Next, each in a terminal of its own (this one keeps the sandbox; Ctrl-C stops"
        + " it):\n"
        + "  bin/imagefleet worker --config "
        + workerConfig
        + "\n"
        + "  bin/imagefleet submit --tenant me --job-id hello-1 --prompt \"a lighthouse at dusk\"\n"
        + "  bin/imagefleet watch --job hello-1 --from-beginning --until-terminal\n";
  }
}
