package io.imagefleet.worker.config;

import java.time.Duration;
import java.util.List;

/**
 * How a submitted task is polled. The first poll waits for the task's estimated time (capped by
 * {@code maxInterval} so long tasks still show progress); later polls follow the remaining
 * estimate, then back off exponentially once the estimate has passed. Every delay carries jitter so
 * that thousands of tasks submitted together do not poll in lockstep.
 *
 * @param minInterval shortest delay between two polls of one task
 * @param maxInterval longest delay between two polls of one task
 * @param multiplier backoff growth once the estimate has passed
 * @param jitter random extra delay as a fraction of each delay (0.1 = up to +10%)
 * @param taskTimeout a task still unfinished after this fails with {@code generation_timeout}
 * @param runningEventEvery at most one RUNNING event per job per this interval
 */
public record PollingSettings(
    Duration minInterval,
    Duration maxInterval,
    double multiplier,
    double jitter,
    Duration taskTimeout,
    Duration runningEventEvery) {

  static final Key MIN_INTERVAL = Key.of("polling.min-interval", "1s");
  static final Key MAX_INTERVAL = Key.of("polling.max-interval", "30s");
  static final Key MULTIPLIER = Key.of("polling.multiplier", "1.5");
  static final Key JITTER = Key.of("polling.jitter", "0.1");
  static final Key TASK_TIMEOUT = Key.of("polling.task-timeout", "15m");
  static final Key RUNNING_EVENT_EVERY = Key.of("polling.running-event-every", "5s");
  static final List<Key> KEYS =
      List.of(MIN_INTERVAL, MAX_INTERVAL, MULTIPLIER, JITTER, TASK_TIMEOUT, RUNNING_EVENT_EVERY);

  public PollingSettings {
    Checks.positive(MIN_INTERVAL, minInterval);
    Checks.positive(MAX_INTERVAL, maxInterval);
    if (maxInterval.compareTo(minInterval) < 0) {
      throw new ConfigException(
          MAX_INTERVAL.name() + " must be >= " + MIN_INTERVAL.name() + ", but was " + maxInterval);
    }
    Checks.atLeast(MULTIPLIER, 1.0, multiplier);
    Checks.between(JITTER, 0.0, 1.0, jitter);
    Checks.positive(TASK_TIMEOUT, taskTimeout);
    Checks.positive(RUNNING_EVENT_EVERY, runningEventEvery);
  }

  static PollingSettings from(ConfigReader r) {
    return new PollingSettings(
        r.duration(MIN_INTERVAL),
        r.duration(MAX_INTERVAL),
        r.decimal(MULTIPLIER),
        r.decimal(JITTER),
        r.duration(TASK_TIMEOUT),
        r.duration(RUNNING_EVENT_EVERY));
  }
}
