package io.imagefleet.bench.harness;

import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The outside world of a run on one machine: one embedded Kafka broker (data under
 * {@code dataDir/kafka}) and one upstream simulator, both in this JVM. Closing stops the simulator
 * first, so no task it still holds outlives the broker its workers report to.
 */
public final class Sandbox implements AutoCloseable {
  private final EmbeddedKafkaBroker broker;
  private final UpstreamSimulator simulator;

  private Sandbox(EmbeddedKafkaBroker broker, UpstreamSimulator simulator) {
    this.broker = broker;
    this.simulator = simulator;
  }

  /** Starts the broker, then the simulator; stops the broker again if the simulator does not start. */
  public static Sandbox start(Path dataDir, SimulatorConfig simulatorConfig) {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir.resolve("kafka")).start();
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

  @Override
  public void close() {
    try {
      simulator.close();
    } finally {
      broker.close();
    }
  }
}
