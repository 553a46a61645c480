package io.imagefleet.sandbox.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Why: there is no Docker engine on the build machines, and tests of a Kafka worker fleet must
 * talk to a real broker (consumer groups, rebalances, transactions), not to a mock. Apache Kafka's
 * own server classes ({@link Formatter}, {@link KafkaRaftServer}) give that in about four seconds.
 *
 * <p>The node is configured so everything works with one replica: every internal topic has
 * replication factor 1 (without it, consumer groups never form on a single broker), {@code
 * group.initial.rebalance.delay.ms=0} so groups form at once, and the internal topics have few
 * partitions so the first group join and the first transaction are quick. Topics are auto-created
 * ({@link Builder#numPartitions(int)} partitions), but callers should create their topics
 * explicitly.
 *
 * <p>{@link #stop()} and {@link #restart()} keep the data directory and the ports, so a test can
 * take the broker away and bring it back (readiness, reconnects). {@link #close()} stops the broker
 * and deletes the data directory if this class created it.
 *
 * <p>Thread-safety: lifecycle methods are synchronized; {@link #bootstrapServers()} may be called
 * from any thread.
 *
 * <p>Note: Kafka halts the JVM on some fatal errors ({@code Exit.halt}); this class replaces
 * Kafka's exit and halt procedures with ones that log and throw, so a broker failure fails a test
 * instead of killing the test JVM.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final String PLAINTEXT_LISTENER = "PLAINTEXT";

  private final Path dataDir;
  private final boolean ownsDataDir;
  private final Map<String, Object> brokerProperties;
  private final Map<String, Integer> listenerPorts;
  private volatile KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafkaBroker(
      Path dataDir,
      boolean ownsDataDir,
      Map<String, Object> brokerProperties,
      Map<String, Integer> listenerPorts) {
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.brokerProperties = brokerProperties;
    this.listenerPorts = listenerPorts;
  }

  /** Starts building a broker; nothing runs until {@link Builder#start()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers(PLAINTEXT_LISTENER);
  }

  /** {@code host:port} of the named listener (one added with {@link Builder#listener}). */
  public String bootstrapServers(String listenerName) {
    Integer port = listenerPorts.get(listenerName);
    if (port == null || CONTROLLER_LISTENER.equals(listenerName)) {
      throw new IllegalArgumentException(
          "no client listener named " + listenerName + "; listeners are " + listenerPorts.keySet());
    }
    return HOST + ":" + port;
  }

  /** The directory holding the broker's logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /** Whether the broker is running (started and not stopped). */
  public boolean isRunning() {
    return server != null;
  }

  /** Shuts the broker down, keeping its data directory and ports for {@link #restart()}. */
  public synchronized void stop() {
    KafkaRaftServer running = server;
    if (running == null) {
      return;
    }
    server = null;
    long start = System.nanoTime();
    running.shutdown();
    running.awaitShutdown();
    LOG.info(
        "Embedded Kafka broker on {} stopped in {} ms", bootstrapServers(), millisSince(start));
  }

  /** Starts the broker again on the same data directory and ports; topics and records are kept. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("broker is closed");
    }
    if (server != null) {
      return;
    }
    startServer();
  }

  /** Stops the broker and deletes its data directory if this class created it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    if (ownsDataDir) {
      deleteRecursively(dataDir);
    }
  }

  private void startServer() {
    long start = System.nanoTime();
    Path logDir = dataDir.resolve("kraft");
    formatIfNeeded(logDir);
    KafkaConfig config = new KafkaConfig(serverProperties(logDir), false);
    KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      // Returns once the broker is registered, unfenced and its listeners accept clients.
      starting.startup();
    } catch (RuntimeException | Error e) {
      starting.shutdown();
      starting.awaitShutdown();
      throw e;
    }
    server = starting;
    LOG.info(
        "Embedded Kafka broker ready on {} in {} ms (data {})",
        bootstrapServers(),
        millisSince(start),
        dataDir);
  }

  private void formatIfNeeded(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .addDirectory(logDir.toString())
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setUnstableFeatureVersionsEnabled(false)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("could not format Kafka log directory " + logDir, e);
    }
  }

  private Properties serverProperties(Path logDir) {
    Properties props = new Properties();
    props.putAll(BrokerDefaults.properties(NODE_ID, HOST, listenerPorts));
    props.put("log.dirs", logDir.toString());
    props.putAll(brokerProperties);
    return props;
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete Kafka data directory {}: {}", dir, e.toString());
    }
  }

  /**
   * Collects the settings of a broker. Ports are chosen when {@link #start()} runs and kept for the
   * broker's lifetime, restarts included.
   */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private int numPartitions = 1;
    private boolean quietLogs = true;
    private final Map<String, String> extraListeners = new LinkedHashMap<>();
    private final Map<String, Object> brokerProperties = new LinkedHashMap<>();

    private Builder() {}

    /** Data directory to use (kept on close); default: a temporary directory deleted on close. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Fixed port of the PLAINTEXT listener; default 0 = a free port chosen at start. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in 0..65535, but was " + port);
      }
      this.port = port;
      return this;
    }

    /** Partitions of auto-created topics ({@code num.partitions}); default 1. */
    public Builder numPartitions(int numPartitions) {
      if (numPartitions < 1) {
        throw new IllegalArgumentException("numPartitions must be >= 1, but was " + numPartitions);
      }
      this.numPartitions = numPartitions;
      return this;
    }

    /**
     * Adds a client listener on a free port, e.g. {@code listener("SASL_SSL", "SASL_SSL")}; its
     * security settings go in through {@link #brokerProperty}. Read its address with {@link
     * EmbeddedKafkaBroker#bootstrapServers(String)}.
     */
    public Builder listener(String name, String securityProtocol) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(securityProtocol, "securityProtocol");
      if (name.equals(PLAINTEXT_LISTENER) || name.equals(CONTROLLER_LISTENER)) {
        throw new IllegalArgumentException("listener " + name + " is always present");
      }
      extraListeners.put(name, securityProtocol);
      return this;
    }

    /** Adds or overrides one broker property (applied last, so it wins over the defaults). */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Keep Kafka's own loggers at WARN unless the logging config sets them; default true. */
    public Builder quietLogs(boolean quietLogs) {
      this.quietLogs = quietLogs;
      return this;
    }

    /**
     * Formats the data directory if needed and starts the broker; returns when clients can use it.
     */
    public EmbeddedKafkaBroker start() {
      if (quietLogs) {
        KafkaLogLevels.quietUnlessConfigured();
      }
      KafkaExitGuard.install();
      boolean owns = dataDir == null;
      Path dir;
      try {
        dir =
            owns ? Files.createTempDirectory("embedded-kafka-") : Files.createDirectories(dataDir);
      } catch (IOException e) {
        throw new UncheckedIOException("could not create Kafka data directory", e);
      }
      Map<String, Integer> ports = choosePorts();
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("num.partitions", Integer.toString(numPartitions));
      props.putAll(listenerProperties(ports));
      props.putAll(brokerProperties);
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, owns, Map.copyOf(props), ports);
      try {
        broker.startServer();
      } catch (RuntimeException | Error e) {
        broker.close();
        throw e;
      }
      return broker;
    }

    private Map<String, Integer> choosePorts() {
      List<String> needFree = new ArrayList<>();
      needFree.add(CONTROLLER_LISTENER);
      if (port == 0) {
        needFree.add(PLAINTEXT_LISTENER);
      }
      needFree.addAll(extraListeners.keySet());
      List<Integer> free = FreePorts.pick(needFree.size());
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put(PLAINTEXT_LISTENER, port);
      for (int i = 0; i < needFree.size(); i++) {
        ports.put(needFree.get(i), free.get(i));
      }
      return Map.copyOf(ports);
    }

    private Map<String, String> listenerProperties(Map<String, Integer> ports) {
      Map<String, String> protocols = new LinkedHashMap<>();
      protocols.put(PLAINTEXT_LISTENER, "PLAINTEXT");
      protocols.put(CONTROLLER_LISTENER, "PLAINTEXT");
      protocols.putAll(extraListeners);
      return BrokerDefaults.listenerProperties(HOST, ports, protocols);
    }
  }
}
