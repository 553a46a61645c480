package io.imagefleet.worker.callback;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delivers a terminal event the way {@link OwedCallbacks} does, without Kafka: each attempt's step
 * is the next one's state, and a step still owed is attempted again when it is due. For tests of
 * the dispatcher alone; {@code CallbackIT} proves the same through the owed callbacks topic.
 */
final class DirectDelivery {
  private DirectDelivery() {}

  static CompletableFuture<CallbackDelivery> deliver(
      CallbackDispatcher dispatcher, JobRequest job, StatusEvent event) {
    OwedCallback first =
        OwedCallback.owed(
            event.eventId(),
            job.jobId(),
            job.tenant(),
            job.attempt(),
            job.callbackUrl(),
            JobCodec.encodeEvent(event),
            Instant.now(),
            "worker-t");
    return step(dispatcher, first, 0);
  }

  private static CompletableFuture<CallbackDelivery> step(
      CallbackDispatcher dispatcher, OwedCallback owed, long offset) {
    return dispatcher
        .attempt(owed, offset)
        .thenCompose(
            next -> {
              if (next.state().isFinal()) {
                return CompletableFuture.completedFuture(CallbackDispatcher.outcome(next));
              }
              long wait =
                  Math.max(0, Duration.between(Instant.now(), next.nextAttemptAt()).toMillis());
              return CompletableFuture.supplyAsync(
                      () -> next, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS))
                  .thenCompose(due -> step(dispatcher, due, offset + 1));
            });
  }
}
