package io.imagefleet.worker.intake;

import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.tracing.TraceStep;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code job.commit} steps of one transaction: one per traced job ending it carries, started
 * before its records are built (so the terminal event and the owed callback carry the commit's own
 * trace context) and ended with the transaction's outcome. An aborted transaction's steps end as
 * failed; the endings' next transaction starts new ones. Used by the intake thread.
 */
final class CommitSpans {
  private final List<TransactionalCommitter.Ending> endings;
  private final List<TraceStep> steps;

  private CommitSpans(List<TransactionalCommitter.Ending> endings, List<TraceStep> steps) {
    this.endings = endings;
    this.steps = steps;
  }

  static CommitSpans start(JobTracing tracing, List<TransactionalCommitter.Ending> endings) {
    List<TransactionalCommitter.Ending> traced = new ArrayList<>(endings.size());
    List<TraceStep> steps = new ArrayList<>();
    for (TransactionalCommitter.Ending e : endings) {
      if (!e.endsAttempt() || e.traceparent() == null) {
        traced.add(e);
        continue;
      }
      TraceStep step =
          tracing.startCommit(
              e.traceparent(), e.event().jobId(), e.event().tenant(), e.event().route());
      steps.add(step);
      String commit = step.traceparent();
      traced.add(e.tracedAs(commit == null ? e.traceparent() : commit));
    }
    return new CommitSpans(List.copyOf(traced), steps);
  }

  /** The endings to commit, each with the trace context its records carry. */
  List<TransactionalCommitter.Ending> endings() {
    return endings;
  }

  void ended(boolean committed) {
    for (TraceStep step : steps) {
      if (committed) {
        step.end();
      } else {
        step.fail("transaction_aborted");
      }
    }
  }
}
