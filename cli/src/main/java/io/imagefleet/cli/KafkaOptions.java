package io.imagefleet.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * How a command reaches Kafka: bootstrap servers plus any client property (SASL, TLS) from a file
 * or the command line. Shared by every command that talks to a cluster.
 */
final class KafkaOptions {
  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT",
      defaultValue = "${env:IMAGEFLEET_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
      description =
          "Kafka bootstrap servers (default: env IMAGEFLEET_KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Kafka client properties file (e.g. security.protocol, sasl.jaas.config).")
  Path kafkaConfig;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description = "A Kafka client property; repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

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
}
