package io.imagefleet.worker.intake;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs in flight per lane (a tenant's own jobs topic, or the shared topic). The intake thread
 * counts a start, the job's thread its end; any thread reads them (the fair share, the metrics).
 */
final class LaneCounts {
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  void started(String lane) {
    counts.merge(lane, 1, Integer::sum);
  }

  void ended(String lane) {
    counts.computeIfPresent(lane, (l, n) -> n <= 1 ? null : n - 1);
  }

  int of(String lane) {
    return counts.getOrDefault(lane, 0);
  }

  /** A copy: lanes with jobs in flight and how many. */
  Map<String, Integer> snapshot() {
    return new TreeMap<>(counts);
  }
}
