package io.imagefleet.sandbox.upstream;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulator's counters, bumped from handler and scheduler threads. Thread-safe,
 * contention-free.
 */
final class StatsCounters {

  private final LongAdder tasksCreated = new LongAdder();
  private final ConcurrentMap<String, LongAdder> byRoute = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> byPrompt = new ConcurrentHashMap<>();
  private final LongAdder createRequests = new LongAdder();
  private final LongAdder queryRequests = new LongAdder();
  private final LongAdder downloadRequests = new LongAdder();
  private final LongAdder hungRequests = new LongAdder();
  private final ConcurrentMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

  void taskCreated(String model, String prompt) {
    tasksCreated.increment();
    byRoute.computeIfAbsent(model, k -> new LongAdder()).increment();
    byPrompt.computeIfAbsent(prompt, k -> new LongAdder()).increment();
  }

  void createRequest() {
    createRequests.increment();
  }

  void queryRequest() {
    queryRequests.increment();
  }

  void downloadRequest() {
    downloadRequests.increment();
  }

  void hung() {
    hungRequests.increment();
  }

  void responded(int status) {
    byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
  }

  SimulatorStats snapshot() {
    return new SimulatorStats(
        tasksCreated.sum(),
        sums(byRoute),
        sums(byPrompt),
        createRequests.sum(),
        queryRequests.sum(),
        downloadRequests.sum(),
        hungRequests.sum(),
        sums(byStatus));
  }

  void reset() {
    tasksCreated.reset();
    byRoute.clear();
    byPrompt.clear();
    createRequests.reset();
    queryRequests.reset();
    downloadRequests.reset();
    hungRequests.reset();
    byStatus.clear();
  }

  private static <K> Map<K, Long> sums(Map<K, LongAdder> counters) {
    Map<K, Long> result = new TreeMap<>();
    counters.forEach((key, adder) -> result.put(key, adder.sum()));
    return result;
  }
}
