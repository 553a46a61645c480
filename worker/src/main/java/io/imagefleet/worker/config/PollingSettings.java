package io.imagefleet.worker.config;

import java.time.Duration;

/**
 * How a submitted task is polled. The first poll waits for the task's estimated time (capped by
 * {@code maxInterval} so long tasks still show progress); later polls follow the remaining estimate,
 * then back off exponentially once the estimate has passed. Every delay carries jitter so that
 * thousands of tasks submitted together do not poll in lockstep.
 *
 * @param minInterval         shortest delay between two polls of one task
 * @param maxInterval         longest delay between two polls of one task
 * @param multiplier          backoff growth once the estimate has passed
 * @param jitter              random extra delay as a fraction of each delay (0.1 = up to +10%)
 * @param taskTimeout         a task still unfinished after this fails with {@code generation_timeout}
 * @param runningEventEvery   at most one RUNNING event per job per this interval
 */
public record PollingSettings(
    Duration minInterval,
    Duration maxInterval,
    double multiplier,
    double jitter,
    Duration taskTimeout,
    Duration runningEventEvery) {

  public PollingSettings {
    Checks.positive("polling.min-interval", minInterval);
    Checks.positive("polling.max-interval", maxInterval);
    if (maxInterval.compareTo(minInterval) < 0) {
      throw new ConfigException("polling.max-interval must be >= polling.min-interval, but was " + maxInterval);
    }
    Checks.atLeast("polling.multiplier", 1.0, multiplier);
    Checks.between("polling.jitter", 0.0, 1.0, jitter);
    Checks.positive("polling.task-timeout", taskTimeout);
    Checks.positive("polling.running-event-every", runningEventEvery);
  }
}
