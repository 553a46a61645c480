package io.imagefleet.worker.intake;

import java.util.Optional;

/**
 * Says when the worker should take no new jobs even below its in-flight cap: spending is stopped,
 * or no route can take work. Jobs already in flight carry on (or wait); new ones stay in Kafka.
 */
@FunctionalInterface
public interface IntakeGate {
  /**
   * Why intake should pause now, or empty to take jobs. Called on the intake thread every loop
   * turn.
   */
  Optional<String> pauseReason();
}
