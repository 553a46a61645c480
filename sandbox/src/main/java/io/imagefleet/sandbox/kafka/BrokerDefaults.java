package io.imagefleet.sandbox.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The broker properties of a combined single-node KRaft broker. One place, so the reasons stay next
 * to the values.
 */
final class BrokerDefaults {

  private BrokerDefaults() {}

  static Map<String, String> properties(int nodeId, String host, Map<String, Integer> ports) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put(
        "controller.quorum.voters",
        nodeId + "@" + host + ":" + ports.get(EmbeddedKafkaBroker.CONTROLLER_LISTENER));
    p.put("controller.listener.names", EmbeddedKafkaBroker.CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", EmbeddedKafkaBroker.PLAINTEXT_LISTENER);
    // One replica everywhere: without the offsets-topic setting consumer groups never join.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // Few partitions for the internal topics: created on first use, 50 each by default.
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    // Groups form at once instead of waiting 3 s for more members.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("delete.topic.enable", "true");
    // Faster registration and unfencing of the broker with its own controller. The session timeout
    // is long on purpose: with one node, a broker fenced by its own controller (a loaded 2-core
    // machine delays heartbeats) only stalls every client, it never hands anything over.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "30000");
    p.put("controller.quorum.election.timeout.ms", "1000");
    p.put("controller.quorum.fetch.timeout.ms", "2000");
    // Two shared cores: keep the thread count small.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("log.cleaner.threads", "1");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    return p;
  }

  static Map<String, String> listenerProperties(
      String host, Map<String, Integer> ports, Map<String, String> protocols) {
    String listeners =
        protocols.keySet().stream()
            .map(name -> name + "://" + host + ":" + ports.get(name))
            .collect(Collectors.joining(","));
    String advertised =
        protocols.keySet().stream()
            .filter(name -> !name.equals(EmbeddedKafkaBroker.CONTROLLER_LISTENER))
            .map(name -> name + "://" + host + ":" + ports.get(name))
            .collect(Collectors.joining(","));
    String map =
        protocols.entrySet().stream()
            .map(e -> e.getKey() + ":" + e.getValue())
            .collect(Collectors.joining(","));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("listeners", listeners);
    p.put("advertised.listeners", advertised);
    p.put("listener.security.protocol.map", map);
    return p;
  }
}
