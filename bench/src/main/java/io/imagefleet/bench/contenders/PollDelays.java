package io.imagefleet.bench.contenders;

import io.imagefleet.worker.config.PollingSettings;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The alternatives poll on the same schedule as the worker (first poll at the task's estimate, then
 * the remaining estimate, then exponential backoff, each with the same jitter), so that requests per
 * job and poll lag compare like with like. A copy of the worker's rule: its class is package-private
 * there, and the benchmark never adds code to the worker.
 */
final class PollDelays {
  private final PollingSettings settings;

  PollDelays(PollingSettings settings) {
    this.settings = settings;
  }

  Duration first(Duration estimate) {
    return withJitter(clamp(estimate.toMillis()));
  }

  Duration next(Duration elapsed, Duration estimate, int pollsOverdue) {
    long remaining = estimate.minus(elapsed).toMillis();
    if (remaining >= settings.minInterval().toMillis()) {
      return withJitter(clamp(remaining));
    }
    double backoff = settings.minInterval().toMillis() * Math.pow(settings.multiplier(), pollsOverdue);
    return withJitter(clamp((long) Math.min(backoff, settings.maxInterval().toMillis())));
  }

  private long clamp(long millis) {
    return Math.max(settings.minInterval().toMillis(), Math.min(settings.maxInterval().toMillis(), millis));
  }

  private Duration withJitter(long millis) {
    double jitter = settings.jitter() * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(millis + (long) (millis * jitter));
  }
}
