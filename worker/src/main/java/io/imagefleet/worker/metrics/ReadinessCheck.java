package io.imagefleet.worker.metrics;

import java.util.Optional;

/**
 * One reason a worker may not be fit to take jobs (broker unreachable, spending stopped). Readiness
 * is the conjunction of all checks, so an orchestrator or load balancer can hold the worker out of
 * rotation and an operator sees why. Implementations must answer quickly and from any thread.
 */
@FunctionalInterface
public interface ReadinessCheck {
  /** Empty when this check is satisfied; otherwise a short, secret-free sentence saying why not. */
  Optional<String> notReadyReason();
}
