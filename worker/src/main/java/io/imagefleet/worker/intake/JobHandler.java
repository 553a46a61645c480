package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one decoded job. Returns at once; the future completes when the job's terminal event is
 * durable, and completes exceptionally only on a bug in the worker (the record is dead-lettered).
 */
@FunctionalInterface
public interface JobHandler {
  CompletableFuture<Void> process(JobRequest job);
}
