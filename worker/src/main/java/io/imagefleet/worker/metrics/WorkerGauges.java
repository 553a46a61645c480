package io.imagefleet.worker.metrics;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Live values of a worker that operators read: jobs in flight, partitions owned, whether the intake
 * loop runs. Suppliers, so that the metrics package never depends on the worker's internals.
 *
 * @param inFlight jobs running now
 * @param assignedPartitions partitions of the jobs topic owned now
 * @param intakeRunning whether the intake loop (the consumer's thread) is alive: liveness
 * @param inFlightByTenant jobs running now per tenant (the shared jobs topic as one lane, {@code
 *     _shared}); a tenant with none may be missing
 * @param waitingByTenant records read and waiting for a slot per tenant, likewise
 */
public record WorkerGauges(
    IntSupplier inFlight,
    IntSupplier assignedPartitions,
    BooleanSupplier intakeRunning,
    Supplier<Map<String, Integer>> inFlightByTenant,
    Supplier<Map<String, Integer>> waitingByTenant) {

  /** Gauges of a worker that does not tell its tenants apart. */
  public WorkerGauges(
      IntSupplier inFlight, IntSupplier assignedPartitions, BooleanSupplier intakeRunning) {
    this(inFlight, assignedPartitions, intakeRunning, Map::of, Map::of);
  }
}
