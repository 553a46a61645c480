package io.imagefleet.worker.job;

import io.imagefleet.worker.config.PollingSettings;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to poll a task next. Guided by the upstream's estimate: the first poll waits for the
 * estimate (so a task that keeps its estimate costs one poll), polls before the estimate follow the
 * remaining time, and polls after it back off exponentially. Delays are capped by {@code
 * maxInterval} so long tasks still report progress.
 *
 * <p>Later polls carry a random extra of up to {@code jitter} of the delay, so tasks that overran
 * together do not poll together. The first poll carries none: it is timed from the task's own
 * acceptance, so first polls are already spread exactly as the creations were, which the upstream
 * absorbed; jitter there would only add to every job's latency (10% of a 60 s task is 6 s). Jitter
 * only ever adds: polling early wastes a request.
 */
public final class PollSchedule {
  private final PollingSettings settings;
  private final DoubleSupplier random;

  /**
   * @param random uniform in [0, 1); injected for tests
   */
  PollSchedule(PollingSettings settings, DoubleSupplier random) {
    this.settings = settings;
    this.random = random;
  }

  /**
   * The worker's schedule with real jitter (also used by the benchmark's alternatives, to compare
   * like with like).
   */
  public static PollSchedule of(PollingSettings settings) {
    return new PollSchedule(settings, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Delay before the first poll of a task the upstream estimates at {@code estimate}. */
  public Duration first(Duration estimate) {
    return Duration.ofMillis(clamp(estimate.toMillis()));
  }

  /**
   * @param elapsed time since the task was accepted
   * @param estimate the upstream's estimate of the whole task
   * @param pollsOverdue polls already made after the estimate had passed
   */
  public Duration next(Duration elapsed, Duration estimate, int pollsOverdue) {
    long remaining = estimate.minus(elapsed).toMillis();
    if (remaining >= settings.minInterval().toMillis()) {
      return withJitter(clamp(remaining));
    }
    double backoff =
        settings.minInterval().toMillis() * Math.pow(settings.multiplier(), pollsOverdue);
    return withJitter(clamp((long) Math.min(backoff, settings.maxInterval().toMillis())));
  }

  /**
   * The delay after {@code failures} polls in a row got no answer (a 5xx, a timeout): {@code
   * minInterval} doubled per failure, with jitter, and never later than {@code scheduled}, the
   * schedule's own next poll. A failed poll taught nothing about the task, which may have ended
   * meanwhile: waiting the whole backoff (up to {@code maxInterval}) after it left paid results
   * unfetched for minutes under a gateway's transient errors. The doubling keeps a gateway whose
   * queries are down from being asked more than a few times per task before the schedule takes
   * over.
   */
  public Duration afterFailures(Duration scheduled, int failures) {
    // A cast of a double past Long.MAX_VALUE saturates; clamp caps it at maxInterval.
    long retry = (long) (settings.minInterval().toMillis() * Math.pow(2, failures));
    Duration soon = withJitter(clamp(retry));
    return soon.compareTo(scheduled) < 0 ? soon : scheduled;
  }

  private long clamp(long millis) {
    return Math.max(
        settings.minInterval().toMillis(), Math.min(settings.maxInterval().toMillis(), millis));
  }

  private Duration withJitter(long millis) {
    return Duration.ofMillis(millis + (long) (millis * settings.jitter() * random.getAsDouble()));
  }
}
