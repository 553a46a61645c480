package io.imagefleet.worker.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka client properties exactly as Kafka names them ({@code bootstrap.servers}, {@code
 * security.protocol}, {@code sasl.jaas.config}, ...): every {@code kafka.*} configuration key
 * passes through with the prefix removed, so SASL, TLS and tuning work as on any Kafka application.
 */
public record KafkaSettings(Map<String, String> clientProperties) {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String GROUP_ID = "group.id";
  private static final String COMPRESSION_TYPE = "compression.type";
  static final String PREFIX = "kafka.";

  static final Key BOOTSTRAP_SERVERS_KEY = Key.of(PREFIX + BOOTSTRAP_SERVERS);
  static final Key GROUP_ID_KEY = Key.of(PREFIX + GROUP_ID, "imagefleet-workers");
  static final List<Key> KEYS = List.of(BOOTSTRAP_SERVERS_KEY, GROUP_ID_KEY);

  /** Any Kafka client property: the clients themselves judge the names they are given. */
  static final List<KeyPattern> PATTERNS = List.of(KeyPattern.of(PREFIX + "*"));

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
    Checks.notBlank(BOOTSTRAP_SERVERS_KEY, clientProperties.get(BOOTSTRAP_SERVERS));
    Checks.notBlank(GROUP_ID_KEY, clientProperties.get(GROUP_ID));
    // The codec of a public topic is part of the contract (a reader may lack the codec): one
    // setting per topic, never one for every producer at once.
    if (clientProperties.containsKey(COMPRESSION_TYPE)) {
      throw new ConfigException(
          PREFIX
              + COMPRESSION_TYPE
              + " is not used: set each public topic's codec with compression.events,"
              + " compression.dead-letters, compression.callbacks and compression.heartbeats");
    }
  }

  /** Every {@code kafka.*} key that is set, over the fleet's default consumer group. */
  static KafkaSettings from(ConfigReader r) {
    Map<String, String> properties = new HashMap<>();
    properties.put(GROUP_ID, GROUP_ID_KEY.defaultValue());
    properties.putAll(r.under(PREFIX));
    return new KafkaSettings(properties);
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
    clientProperties.forEach((k, v) -> shown.put(k, Redaction.shown(k, v)));
    return shown;
  }

  @Override
  public String toString() {
    return "KafkaSettings" + redacted();
  }
}
