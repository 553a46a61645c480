package io.imagefleet.worker.intake;

import java.time.Duration;
import java.time.Instant;

/**
 * Slow start: the in-flight cap a worker uses grows from one refill batch (or what already runs) to
 * the full cap over the ramp-up, counted from the first records after the worker was idle or from
 * the end of an intake pause. Otherwise a worker that meets a backlog creates a whole cap of tasks
 * in one instant: the upstream sees a burst of creates, and as the tasks end together too, every
 * later poll, download and commit comes in the same wave, and the last job of each wave waits for
 * all the others. Spread at the start, the jobs stay spread: a slot is refilled when its job ends.
 * Not thread safe: the intake thread owns it.
 */
final class IntakeRamp {
  private final int cap;
  private final int floor;
  private final Duration rampUp;
  private Instant startedAt;

  /**
   * The jobs running when the ramp started: the cap opens from them (and never below the floor).
   */
  private int from;

  /**
   * @param cap the configured in-flight cap
   * @param floor what may run from the first moment (the intake's refill batch)
   * @param rampUp how long the cap takes to open fully; zero opens it at once
   */
  IntakeRamp(int cap, int floor, Duration rampUp) {
    this.cap = cap;
    this.floor = Math.min(cap, Math.max(1, floor));
    this.rampUp = rampUp;
  }

  /**
   * (Re)starts the ramp from {@code running} jobs: records came to an idle worker (none running),
   * or intake resumed after a pause (a route back up, spending allowed again), when the jobs
   * already running keep their slots and only the rest of the cap opens gradually.
   */
  void start(Instant now, int running) {
    startedAt = now;
    from = Math.min(cap, running);
  }

  /** The cap in force at {@code now}. */
  int capAt(Instant now) {
    if (!isRamping(now)) {
      return cap;
    }
    double opened = (double) Duration.between(startedAt, now).toNanos() / rampUp.toNanos();
    return Math.max(Math.max(floor, from), (int) Math.ceil(from + (cap - from) * opened));
  }

  /**
   * True while the cap is still opening: the intake looks again soon rather than after a whole
   * poll.
   */
  boolean isRamping(Instant now) {
    return startedAt != null && Duration.between(startedAt, now).compareTo(rampUp) < 0;
  }
}
