package io.imagefleet.worker.job;

import io.imagefleet.worker.tracing.TraceStep;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs one step of a job inside its span: the span ends when the step's outcome arrives, failed
 * with the outcome's stable code (never its message, which may quote the upstream) when it is a
 * failure.
 */
final class Traced {
  private Traced() {}

  static <T> CompletableFuture<UpstreamOutcome<T>> call(
      TraceStep step, Supplier<CompletableFuture<UpstreamOutcome<T>>> call) {
    CompletableFuture<UpstreamOutcome<T>> outcome;
    try {
      outcome = call.get();
    } catch (RuntimeException bug) {
      step.fail("worker_error");
      throw bug;
    }
    return outcome.whenComplete(
        (done, error) -> {
          if (error != null) {
            step.fail("worker_error");
          } else if (done instanceof UpstreamOutcome.Failure<T> failure) {
            step.fail(failure.code());
          } else {
            step.end();
          }
        });
  }
}
