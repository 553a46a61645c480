package io.imagefleet.worker.cli;

import io.imagefleet.worker.config.WorkerConfig;

/** The effective configuration as text, for operators: secrets show as {@code [redacted]}. */
final class ConfigDump {
  private ConfigDump() {}

  static String describe(WorkerConfig c) {
    StringBuilder b = new StringBuilder();
    b.append("worker.id = ").append(c.workerId()).append('\n');
    c.kafka()
        .redacted()
        .forEach((k, v) -> b.append("kafka.").append(k).append(" = ").append(v).append('\n'));
    b.append("topics = ").append(c.topics()).append('\n');
    b.append("upstream = ").append(c.upstream()).append('\n');
    c.routes().forEach(r -> b.append("route = ").append(r).append('\n'));
    b.append("intake = ").append(c.intake()).append('\n');
    b.append("polling = ").append(c.polling()).append('\n');
    b.append("retry = ").append(c.retry()).append('\n');
    b.append("breaker = ").append(c.breaker()).append('\n');
    b.append("storage = ").append(c.storage()).append('\n');
    b.append("costs = ").append(c.costs()).append('\n');
    b.append("callbacks = ").append(c.callbacks()).append('\n');
    b.append("budgets = ").append(c.budgets()).append('\n');
    b.append("compression = ").append(c.compression()).append('\n');
    b.append("tenants = ").append(c.tenants()).append('\n');
    return b.toString();
  }
}
