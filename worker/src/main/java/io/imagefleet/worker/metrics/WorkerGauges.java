package io.imagefleet.worker.metrics;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Live values of a worker that operators read: jobs in flight, partitions owned, whether the intake
 * loop runs. Suppliers, so that the metrics package never depends on the worker's internals.
 *
 * @param inFlight jobs running now
 * @param assignedPartitions partitions of the jobs topic owned now
 * @param intakeRunning whether the intake loop (the consumer's thread) is alive: liveness
 */
public record WorkerGauges(
    IntSupplier inFlight, IntSupplier assignedPartitions, BooleanSupplier intakeRunning) {}
