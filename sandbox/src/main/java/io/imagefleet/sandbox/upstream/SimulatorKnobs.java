package io.imagefleet.sandbox.upstream;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The simulator's behaviour that tests and operators change at runtime: task durations, response
 * latencies, fault rates, failed-task rates, the quota switch and the rate limits. Immutable; the
 * simulator swaps the whole value atomically (Java setters, or {@code POST /admin/faults}).
 *
 * @param taskDuration planned run time of a new task (completion is computed lazily from it)
 * @param createLatency delay before a create call is answered
 * @param queryLatency delay before a query call is answered
 * @param createFaults random faults on create calls
 * @param queryFaults random faults on query calls
 * @param taskFailureRates per task error code, the share of new tasks that end {@code failed} with
 *     it
 * @param quotaExhausted when true every create answers 402 {@code insufficient_quota}
 * @param createsPerSecond the gateway's creation limit per API key and model, in requests per
 *     second (0 = unlimited): a token bucket holding one second's worth; a create beyond it answers
 *     429 {@code rate_limit_exceeded} with {@code Retry-After} and {@code retry-after-ms}
 * @param queriesPerSecond the same for task queries, per API key (0 = unlimited)
 */
public record SimulatorKnobs(
    DurationDistribution taskDuration,
    DurationDistribution createLatency,
    DurationDistribution queryLatency,
    FaultRates createFaults,
    FaultRates queryFaults,
    Map<String, Double> taskFailureRates,
    boolean quotaExhausted,
    double createsPerSecond,
    double queriesPerSecond) {

  /**
   * Defaults: tasks take a log-normal 30 s median / 3 min p99 (real tasks take tens of seconds to
   * minutes), answers are immediate, no faults, no failed tasks, no rate limits.
   */
  public static final SimulatorKnobs DEFAULTS =
      new SimulatorKnobs(
          DurationDistribution.logNormal(Duration.ofSeconds(30), Duration.ofMinutes(3)),
          DurationDistribution.fixed(Duration.ZERO),
          DurationDistribution.fixed(Duration.ZERO),
          FaultRates.NONE,
          FaultRates.NONE,
          Map.of(),
          false,
          0,
          0);

  public SimulatorKnobs {
    Objects.requireNonNull(taskDuration, "taskDuration");
    Objects.requireNonNull(createLatency, "createLatency");
    Objects.requireNonNull(queryLatency, "queryLatency");
    Objects.requireNonNull(createFaults, "createFaults");
    Objects.requireNonNull(queryFaults, "queryFaults");
    requireRate("createsPerSecond", createsPerSecond);
    requireRate("queriesPerSecond", queriesPerSecond);
    // Sorted, so a seeded draw over the codes is reproducible from run to run.
    taskFailureRates =
        Collections.unmodifiableMap(
            new TreeMap<>(Objects.requireNonNull(taskFailureRates, "taskFailureRates")));
    double sum = 0;
    for (Map.Entry<String, Double> e : taskFailureRates.entrySet()) {
      if (!TaskErrorCodes.isKnown(e.getKey())) {
        throw new IllegalArgumentException(
            "taskFailureRates has unknown code "
                + e.getKey()
                + "; known codes are "
                + TaskErrorCodes.all());
      }
      double rate = e.getValue();
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(
            "taskFailureRates." + e.getKey() + " must be in 0..1, but was " + rate);
      }
      sum += rate;
    }
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException(
          "taskFailureRates must add up to <= 1, but add up to " + sum);
    }
  }

  public SimulatorKnobs withTaskDuration(DurationDistribution value) {
    return new SimulatorKnobs(
        value,
        createLatency,
        queryLatency,
        createFaults,
        queryFaults,
        taskFailureRates,
        quotaExhausted,
        createsPerSecond,
        queriesPerSecond);
  }

  public SimulatorKnobs withCreateLatency(DurationDistribution value) {
    return new SimulatorKnobs(
        taskDuration,
        value,
        queryLatency,
        createFaults,
        queryFaults,
        taskFailureRates,
        quotaExhausted,
        createsPerSecond,
        queriesPerSecond);
  }

  public SimulatorKnobs withQueryLatency(DurationDistribution value) {
    return new SimulatorKnobs(
        taskDuration,
        createLatency,
        value,
        createFaults,
        queryFaults,
        taskFailureRates,
        quotaExhausted,
        createsPerSecond,
        queriesPerSecond);
  }

  public SimulatorKnobs withCreateFaults(FaultRates value) {
    return new SimulatorKnobs(
        taskDuration,
        createLatency,
        queryLatency,
        value,
        queryFaults,
        taskFailureRates,
        quotaExhausted,
        createsPerSecond,
        queriesPerSecond);
  }

  public SimulatorKnobs withQueryFaults(FaultRates value) {
    return new SimulatorKnobs(
        taskDuration,
        createLatency,
        queryLatency,
        createFaults,
        value,
        taskFailureRates,
        quotaExhausted,
        createsPerSecond,
        queriesPerSecond);
  }

  public SimulatorKnobs withTaskFailureRates(Map<String, Double> value) {
    return new SimulatorKnobs(
        taskDuration,
        createLatency,
        queryLatency,
        createFaults,
        queryFaults,
        value,
        quotaExhausted,
        createsPerSecond,
        queriesPerSecond);
  }

  public SimulatorKnobs withQuotaExhausted(boolean value) {
    return new SimulatorKnobs(
        taskDuration,
        createLatency,
        queryLatency,
        createFaults,
        queryFaults,
        taskFailureRates,
        value,
        createsPerSecond,
        queriesPerSecond);
  }

  public SimulatorKnobs withCreatesPerSecond(double value) {
    return new SimulatorKnobs(
        taskDuration,
        createLatency,
        queryLatency,
        createFaults,
        queryFaults,
        taskFailureRates,
        quotaExhausted,
        value,
        queriesPerSecond);
  }

  public SimulatorKnobs withQueriesPerSecond(double value) {
    return new SimulatorKnobs(
        taskDuration,
        createLatency,
        queryLatency,
        createFaults,
        queryFaults,
        taskFailureRates,
        quotaExhausted,
        createsPerSecond,
        value);
  }

  private static void requireRate(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          name + " must be >= 0 (0 = unlimited) and finite, but was " + value);
    }
  }
}
