package io.imagefleet.worker.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness of one worker. Live: the intake loop runs (if it died, only a restart
 * helps). Ready: live, not stopping, and every {@link ReadinessCheck} satisfied (broker reachable,
 * spending not stopped). Thread safe.
 */
final class Health {
  static final String STOPPING = "the worker is stopping (draining in-flight jobs)";
  static final String INTAKE_STOPPED = "the intake loop has stopped; see the worker's log";

  private final BooleanSupplier intakeRunning;
  private final List<ReadinessCheck> checks;
  private volatile boolean stopping;

  Health(BooleanSupplier intakeRunning, List<ReadinessCheck> checks) {
    this.intakeRunning = intakeRunning;
    this.checks = List.copyOf(checks);
  }

  Optional<String> notLiveReason() {
    // A stopping worker's intake ends on purpose: it is not dead, only not ready.
    return stopping || intakeRunning.getAsBoolean()
        ? Optional.empty()
        : Optional.of(INTAKE_STOPPED);
  }

  /** Every reason the worker is not ready now; empty when it is. */
  List<String> notReadyReasons() {
    List<String> reasons = new ArrayList<>();
    if (stopping) {
      reasons.add(STOPPING);
    }
    notLiveReason().ifPresent(reasons::add);
    for (ReadinessCheck check : checks) {
      try {
        check.notReadyReason().ifPresent(reasons::add);
      } catch (RuntimeException e) {
        reasons.add("a readiness check failed: " + e.getClass().getSimpleName());
      }
    }
    return reasons;
  }

  void stopping() {
    stopping = true;
  }
}
