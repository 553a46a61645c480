package io.imagefleet.worker.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka client properties exactly as Kafka names them ({@code bootstrap.servers},
 * {@code security.protocol}, {@code sasl.jaas.config}, ...): every {@code kafka.*} configuration key
 * passes through with the prefix removed, so SASL, TLS and tuning work as on any Kafka application.
 */
public record KafkaSettings(Map<String, String> clientProperties) {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String GROUP_ID = "group.id";

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
    Checks.notBlank("kafka." + BOOTSTRAP_SERVERS, clientProperties.get(BOOTSTRAP_SERVERS));
    Checks.notBlank("kafka." + GROUP_ID, clientProperties.get(GROUP_ID));
  }

  public String bootstrapServers() {
    return clientProperties.get(BOOTSTRAP_SERVERS);
  }

  public String groupId() {
    return clientProperties.get(GROUP_ID);
  }

  /** The properties with secret-looking values masked, for logs and config dumps. */
  public Map<String, String> redacted() {
    Map<String, String> shown = new TreeMap<>();
    clientProperties.forEach((k, v) -> shown.put(k, Redaction.isSecretKey(k) ? "[redacted]" : v));
    return shown;
  }

  @Override
  public String toString() {
    return "KafkaSettings" + redacted();
  }
}
