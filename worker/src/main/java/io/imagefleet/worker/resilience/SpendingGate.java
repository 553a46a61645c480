package io.imagefleet.worker.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the whole worker from spending when the upstream says every call would fail for money or
 * credentials (401, 402 / quota). While stopped, intake pauses, no job is failed for it, and jobs
 * that were about to submit wait. One waiting job per {@code probeInterval} is let through as a
 * probe: its real submission is the cheapest honest test of whether the key or the credit is back.
 * Thread safe.
 */
public final class SpendingGate {
  private static final Logger log = LoggerFactory.getLogger(SpendingGate.class);

  private final Clock clock;
  private final Duration probeInterval;
  private final FleetLink fleet;
  private final String workerId;
  private final AtomicReference<Stop> stop = new AtomicReference<>();

  public SpendingGate(Clock clock, Duration probeInterval, FleetLink fleet, String workerId) {
    this.clock = clock;
    this.probeInterval = probeInterval;
    this.fleet = fleet;
    this.workerId = workerId;
  }

  /** Why spending is stopped, if it is. */
  public Optional<String> stoppedReason() {
    Stop s = stop.get();
    return s == null ? Optional.empty() : Optional.of(s.reason());
  }

  public boolean isOpen() {
    return stop.get() == null;
  }

  /** Stops spending; the reason is shown on health and in logs (it never holds the key itself). */
  public void stopSpending(String reason) {
    Stop previous = stop.getAndUpdate(s -> s != null ? s : new Stop(reason, clock.instant()));
    if (previous == null) {
      log.error(
          "spending stopped: {}. Intake is paused; jobs wait; a probe retries every {}",
          reason,
          probeInterval);
      fleet.spendingChanged(new SpendingState(true, reason, workerId, clock.instant()));
    }
  }

  /** A submission went through: spending resumes. */
  public void resume() {
    Stop previous = stop.getAndSet(null);
    if (previous != null) {
      log.warn(
          "spending resumed after {} (was: {})",
          Duration.between(previous.since(), clock.instant()),
          previous.reason());
      fleet.spendingChanged(new SpendingState(false, null, workerId, clock.instant()));
    }
  }

  /**
   * What a worker of the fleet shared (this one's own records come back too, and change nothing).
   */
  public void adopt(SpendingState state) {
    if (state.stopped()) {
      String reason = state.reason() + " (seen by worker " + state.worker() + ")";
      if (stop.compareAndSet(null, new Stop(reason, clock.instant()))) {
        log.error(
            "spending stopped fleet-wide: {}. Intake is paused; jobs wait; a probe retries every {}",
            reason,
            probeInterval);
      }
    } else {
      Stop previous = stop.getAndSet(null);
      if (previous != null) {
        log.warn("spending resumed fleet-wide by worker {}", state.worker());
      }
    }
  }

  /**
   * True for at most one caller per probe interval while stopped: that caller may submit as a
   * probe.
   */
  public boolean tryAcquireProbe() {
    Stop s = stop.get();
    if (s == null) {
      return true;
    }
    Instant now = clock.instant();
    if (Duration.between(s.lastProbe(), now).compareTo(probeInterval) < 0) {
      return false;
    }
    return stop.compareAndSet(s, s.probedAt(now));
  }

  private record Stop(String reason, Instant since, Instant lastProbe) {
    Stop(String reason, Instant since) {
      this(reason, since, since);
    }

    Stop probedAt(Instant when) {
      return new Stop(reason, since, when);
    }
  }
}
