package io.imagefleet.worker.cli;

import io.imagefleet.worker.config.Redaction;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The effective configuration as {@code key=value} lines sorted by key, for operators and scripts:
 * the same keys the properties file takes, so a line can be copied into one. Secrets show as {@code
 * [redacted]}.
 */
final class ConfigDump {
  private ConfigDump() {}

  /**
   * {@code values}: every key's effective value ({@code ConfigLoader.effectiveValues}); {@code
   * workerId}: the id the worker runs under, which defaults to one made at start.
   */
  static String describe(SortedMap<String, String> values, String workerId) {
    SortedMap<String, String> shown = new TreeMap<>(values);
    shown.put("worker.id", workerId);
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : shown.entrySet()) {
      b.append(e.getKey()).append('=').append(Redaction.shown(e.getKey(), e.getValue()));
      b.append('\n');
    }
    return b.toString();
  }
}
