package io.imagefleet.cli;

import io.imagefleet.worker.config.Redaction;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * How a command reaches Kafka: bootstrap servers plus any client property (SASL, TLS) from a file
 * or the command line. Shared by every command that talks to a cluster.
 */
final class KafkaOptions {
  /**
   * How long a command waits for the cluster's first answer. Kafka's clients would retry for a
   * minute in silence; a person at a terminal should hear within seconds that nothing answers.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How long the cluster may take to answer before the command says what it is waiting for. */
  private static final Duration QUIET_WAIT = Duration.ofSeconds(2);

  static final String ENV = "IMAGEFLEET_KAFKA_BOOTSTRAP_SERVERS";

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT",
      defaultValue = "${env:" + ENV + ":-localhost:9092}",
      description =
          "Kafka bootstrap servers. The default comes from the environment variable " + ENV + ".")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Kafka client properties file, for SASL or TLS settings.")
  Path kafkaConfig;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      showDefaultValue = Visibility.NEVER,
      description = "A Kafka client property; repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  private boolean reached;

  /**
   * The client properties, once the cluster has answered: a command that cannot reach Kafka stops
   * here within {@link #CONNECT_TIMEOUT}, with one line that says what to change, instead of
   * failing later inside a client with Kafka's own words.
   */
  Properties connect() {
    Properties p = clientProperties();
    if (!reached) {
      try (Admin admin = Admin.create(probing(p))) {
        probe(admin);
      }
    }
    return p;
  }

  /**
   * The first of {@code candidates} that exists on the cluster, once it answered: commands that
   * write to a tenant's own topic when it has one, else to a shared topic. One admin client both
   * checks the cluster and lists the topics.
   */
  Optional<String> firstExistingTopic(List<String> candidates) {
    try (Admin admin = Admin.create(probing(clientProperties()))) {
      if (!reached) {
        probe(admin);
      }
      Set<String> names = admin.listTopics().names().get();
      return candidates.stream().filter(names::contains).findFirst();
    } catch (ExecutionException e) {
      throw new UserError("cannot list topics: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while listing topics");
    }
  }

  /** {@code p} with the timeouts of the first contact. */
  private static Properties probing(Properties p) {
    Properties admin = new Properties();
    admin.putAll(p);
    String timeout = String.valueOf(CONNECT_TIMEOUT.toMillis());
    admin.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    admin.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    return admin;
  }

  /** The client properties without contacting the cluster. */
  Properties clientProperties() {
    Properties p = new Properties();
    if (kafkaConfig != null) {
      try (Reader r = Files.newBufferedReader(kafkaConfig)) {
        p.load(r);
      } catch (IOException e) {
        throw new UserError("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage());
      }
    }
    p.putAll(kafkaProperties);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return p;
  }

  /**
   * The options that reach the same cluster, to print in a command a person can paste: a secret
   * given with -X is not repeated (it is named, for the person to add back).
   */
  List<String> asArguments() {
    List<String> args = new ArrayList<>(List.of("-b", bootstrapServers));
    if (kafkaConfig != null) {
      args.add("--kafka-config");
      args.add(kafkaConfig.toString());
    }
    kafkaProperties.forEach(
        (k, v) -> {
          args.add("-X");
          args.add(k + "=" + (Redaction.isSecretKey(k) ? "..." : v));
        });
    return args;
  }

  private void probe(Admin client) {
    int timeout = (int) CONNECT_TIMEOUT.toMillis();
    try {
      KafkaFuture<String> clusterId =
          client.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).clusterId();
      try {
        clusterId.get(QUIET_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException slow) {
        // Said only when it takes a while, so that a quick command prints nothing extra.
        System.err.println(
            "waiting for Kafka at "
                + bootstrapServers
                + " (gives up after "
                + CONNECT_TIMEOUT.toSeconds()
                + " s)...");
        clusterId.get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      throw unreachable(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw unreachable(e);
    } catch (KafkaException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(e);
    }
    reached = true;
  }

  private KafkaUnreachable unreachable(Throwable cause) {
    boolean silent =
        cause instanceof org.apache.kafka.common.errors.TimeoutException
            || cause instanceof java.util.concurrent.TimeoutException
            || cause instanceof InterruptedException;
    return new KafkaUnreachable(
        "cannot reach Kafka at "
            + bootstrapServers
            + (silent
                ? ": nothing answered within " + CONNECT_TIMEOUT.toSeconds() + " s"
                : ": " + KafkaUnreachable.firstLine(cause))
            + ". Set -b/--bootstrap-servers (or "
            + ENV
            + ") to a running broker"
            + (kafkaConfig == null && kafkaProperties.isEmpty()
                ? " (bin/imagefleet sandbox starts one)"
                : ", and check --kafka-config / -X")
            + ".",
        cause);
  }
}
