package io.imagefleet.sandbox.testing;

import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One Kafka broker per test JVM, shared by every integration test in it.
 *
 * <p>Why: a broker takes seconds to start, so each test gets its own topics and group ids instead
 * of its own broker. Where a Docker engine is reachable, the broker is Testcontainers' {@link
 * KafkaContainer} (the {@code apache/kafka} image); otherwise, and whenever the container cannot
 * start, it is an {@link EmbeddedKafkaBroker} in this JVM. Tests never skip for lack of Docker. The
 * choice can be forced with the system property or environment variable {@value #MODE_PROPERTY} /
 * {@code IMAGEFLEET_TEST_KAFKA} = {@code auto} (default), {@code embedded} or {@code container}.
 *
 * <p>Started lazily on the first call to {@link #bootstrapServers()}, stopped by a JVM shutdown
 * hook. Thread-safe.
 */
public final class SharedTestKafka {

  /** System property choosing the broker: auto, embedded or container. */
  public static final String MODE_PROPERTY = "imagefleet.test.kafka";

  /** The image used when Docker is available; matches the Kafka version of the build. */
  public static final String KAFKA_IMAGE = "apache/kafka:4.3.2";

  private static final Logger LOG = LoggerFactory.getLogger(SharedTestKafka.class);
  private static String bootstrapServers;

  private SharedTestKafka() {}

  /** The shared broker's bootstrap servers; starts it on the first call. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers = startBroker(mode());
    }
    return bootstrapServers;
  }

  /** Creates topics of one partition on the shared broker; returns once the controller has them. */
  public static void createTopics(String... names) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin
          .createTopics(Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).toList())
          .all()
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics " + Arrays.toString(names), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }

  private static String mode() {
    String mode = System.getProperty(MODE_PROPERTY, System.getenv("IMAGEFLEET_TEST_KAFKA"));
    return mode == null || mode.isBlank() ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
  }

  private static String startBroker(String mode) {
    switch (mode) {
      case "embedded":
        return startEmbedded("forced by " + MODE_PROPERTY);
      case "container":
        return startContainer();
      case "auto":
        if (!isDockerAvailable()) {
          return startEmbedded("no Docker engine found");
        }
        try {
          return startContainer();
        } catch (RuntimeException e) {
          LOG.warn(
              "Kafka container failed to start ({}); falling back to the embedded broker",
              e.toString());
          return startEmbedded("container failed to start");
        }
      default:
        throw new IllegalArgumentException(
            MODE_PROPERTY + " must be auto, embedded or container, but was " + mode);
    }
  }

  private static boolean isDockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Docker check failed", e);
      return false;
    }
  }

  private static String startContainer() {
    KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "shared-test-kafka-stop"));
    String servers = container.getBootstrapServers();
    LOG.info("Shared test Kafka: Testcontainers {} at {}", KAFKA_IMAGE, servers);
    return servers;
  }

  private static String startEmbedded(String reason) {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-test-kafka-stop"));
    LOG.info(
        "Shared test Kafka: embedded KRaft broker at {} ({})", broker.bootstrapServers(), reason);
    return broker.bootstrapServers();
  }
}
