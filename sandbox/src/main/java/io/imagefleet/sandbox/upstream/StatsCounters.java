package io.imagefleet.sandbox.upstream;

import java.time.Duration;
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
  private final LongAdder createsRateLimited = new LongAdder();
  private final LongAdder queriesRateLimited = new LongAdder();
  private final LongAdder injectedRateLimitedCreates = new LongAdder();
  private final LongAdder injectedRateLimitedQueries = new LongAdder();

  /** The longest poll gap and the queries in it that got no answer; guarded by {@code this}. */
  private long maxPollGapMillis;

  private int maxPollGapUnansweredQueries;

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

  /** A create refused by the creation bucket. */
  void createRateLimited() {
    createsRateLimited.increment();
  }

  /** A query refused by the query bucket. */
  void queryRateLimited() {
    queriesRateLimited.increment();
  }

  /** A create answered 429 by a scripted or random fault. */
  void createFaultRateLimited() {
    injectedRateLimitedCreates.increment();
  }

  /** A query answered 429 by a scripted or random fault. */
  void queryFaultRateLimited() {
    injectedRateLimitedQueries.increment();
  }

  /**
   * A task answered on a query after going unpolled this long past its estimate, with {@code
   * unanswered} queries of it refused or left hanging meanwhile.
   */
  synchronized void pollGap(Duration gap, int unanswered) {
    if (gap.toMillis() > maxPollGapMillis) {
      maxPollGapMillis = gap.toMillis();
      maxPollGapUnansweredQueries = unanswered;
    }
  }

  void responded(int status) {
    byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
  }

  synchronized SimulatorStats snapshot() {
    return new SimulatorStats(
        tasksCreated.sum(),
        sums(byRoute),
        sums(byPrompt),
        createRequests.sum(),
        queryRequests.sum(),
        downloadRequests.sum(),
        hungRequests.sum(),
        sums(byStatus),
        createsRateLimited.sum(),
        queriesRateLimited.sum(),
        injectedRateLimitedCreates.sum(),
        injectedRateLimitedQueries.sum(),
        maxPollGapMillis,
        maxPollGapUnansweredQueries);
  }

  synchronized void reset() {
    tasksCreated.reset();
    byRoute.clear();
    byPrompt.clear();
    createRequests.reset();
    queryRequests.reset();
    downloadRequests.reset();
    hungRequests.reset();
    byStatus.clear();
    createsRateLimited.reset();
    queriesRateLimited.reset();
    injectedRateLimitedCreates.reset();
    injectedRateLimitedQueries.reset();
    maxPollGapMillis = 0;
    maxPollGapUnansweredQueries = 0;
  }

  private static <K> Map<K, Long> sums(Map<K, LongAdder> counters) {
    Map<K, Long> result = new TreeMap<>();
    counters.forEach((key, adder) -> result.put(key, adder.sum()));
    return result;
  }
}
