package io.imagefleet.bench.harness;

import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The outside world of a run on one machine: one embedded Kafka broker (data under {@code
 * dataDir/kafka}) and one upstream simulator, both in this JVM. Closing stops the simulator first,
 * so no task it still holds outlives the broker its workers report to.
 */
public final class Sandbox implements AutoCloseable {
  private final EmbeddedKafkaBroker broker;
  private final UpstreamSimulator simulator;

  private Sandbox(EmbeddedKafkaBroker broker, UpstreamSimulator simulator) {
    this.broker = broker;
    this.simulator = simulator;
  }

  /**
   * Starts the broker, then the simulator; stops the broker again if the simulator does not start.
   */
  public static Sandbox start(Path dataDir, SimulatorConfig simulatorConfig) {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().dataDir(dataDir.resolve("kafka")).start();
    try {
      return new Sandbox(broker, UpstreamSimulator.start(simulatorConfig));
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public UpstreamSimulator simulator() {
    return simulator;
  }

  /** A fresh copy each time: callers add their own producer or consumer settings to it. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return p;
  }

  /**
   * The settings that point a worker at this sandbox, storing images under {@code storage}; each
   * run adds its own (group, topics, limits). The API key is left to the caller: some pass it in
   * the environment so that it never lands in a file.
   */
  public Map<String, String> workerSettings(Path storage) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("kafka.bootstrap.servers", broker.bootstrapServers());
    values.put("upstream.base-url", simulator.baseUrl().toString());
    // The simulator's result links are on this machine: allow downloads from loopback.
    values.put("upstream.allow-private-downloads", "true");
    values.put("storage.directory", storage.toString());
    // Several workers on one machine: each ops endpoint (/metrics, /health/*, /status) on a free
    // port.
    values.put("ops.port", "0");
    return values;
  }

  /** Writes worker settings as the properties file {@code bin/imagefleet worker --config} reads. */
  public static Path writeWorkerConfig(Path file, String comment, Map<String, String> values)
      throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        values.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "# " + comment + "\n", "\n")));
    return file;
  }

  @Override
  public void close() {
    try {
      simulator.close();
    } finally {
      broker.close();
    }
  }
}
