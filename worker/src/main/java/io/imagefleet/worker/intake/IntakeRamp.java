package io.imagefleet.worker.intake;

import java.time.Duration;
import java.time.Instant;

/**
 * Slow start: the in-flight cap a worker uses grows from one refill batch to the full cap over the
 * ramp-up, counted from the first records after the worker was idle. Otherwise a worker that meets a
 * backlog creates a whole cap of tasks in one instant: the upstream sees a burst of creates, and as
 * the tasks end together too, every later poll, download and commit comes in the same wave, which
 * one worker on two cores works off in hundreds of milliseconds (the benchmark's collect lag p99).
 * Spread at the start, the jobs stay spread: a slot is refilled when its job ends. Not thread safe:
 * the intake thread owns it.
 */
final class IntakeRamp {
  private final int cap;
  private final int floor;
  private final Duration rampUp;
  private Instant startedAt;

  /**
   * @param cap    the configured in-flight cap
   * @param floor  what may run from the first moment (the intake's refill batch)
   * @param rampUp how long the cap takes to open fully; zero opens it at once
   */
  IntakeRamp(int cap, int floor, Duration rampUp) {
    this.cap = cap;
    this.floor = Math.min(cap, Math.max(1, floor));
    this.rampUp = rampUp;
  }

  /** (Re)starts the ramp: the worker had nothing running and records came. */
  void start(Instant now) {
    startedAt = now;
  }

  /** The cap in force at {@code now}. */
  int capAt(Instant now) {
    if (!isRamping(now)) {
      return cap;
    }
    double opened = (double) Duration.between(startedAt, now).toNanos() / rampUp.toNanos();
    return Math.max(floor, (int) Math.ceil(cap * opened));
  }

  /** True while the cap is still opening: the intake looks again soon rather than after a whole poll. */
  boolean isRamping(Instant now) {
    return startedAt != null && Duration.between(startedAt, now).compareTo(rampUp) < 0;
  }
}
