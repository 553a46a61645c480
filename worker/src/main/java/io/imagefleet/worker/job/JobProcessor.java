package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.worker.budget.Budgets;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.intake.JobHandler;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.resilience.SpendingGate;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateWriter;
import io.imagefleet.worker.storage.ImageStore;
import io.imagefleet.worker.tracing.JobTrace;
import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.upstream.UpstreamClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts job attempts for the intake: fresh ones; ones whose task was already accepted (restored
 * from the job-state topic), which resume polling that task instead of paying for another; and ones
 * whose previous owner stopped before a task was accepted, which start over knowing whether a
 * creation was outstanding.
 */
public final class JobProcessor implements JobHandler {
  private final JobServices services;

  /**
   * With tenants' {@code budgets} checked before a job spends, and {@code afterEnd} told of every
   * durable terminal event (after the job's budget reservation is settled); jobs are stopped before
   * submission by the {@code cancels} that cover them; their steps are traced by {@code tracing}.
   */
  public JobProcessor(
      WorkerConfig config,
      UpstreamClient upstream,
      RouteTable routes,
      SpendingGate spending,
      ImageStore store,
      EventPublisher publisher,
      StateWriter states,
      ScheduledExecutorService scheduler,
      Clock clock,
      Budgets budgets,
      TerminalListener afterEnd,
      CancelRequests cancels,
      JobTracing tracing) {
    CostLimits limits = new CostLimits(new CostEstimator(config), budgets);
    this.services =
        new JobServices(
            config,
            new JobValidator(),
            new RouteFit(limits.estimator()),
            upstream,
            routes,
            spending,
            store,
            publisher,
            new StatusEvents(config.workerId(), clock, limits.estimator()::estimate),
            scheduler,
            PollSchedule.of(config.polling()),
            clock,
            limits,
            afterEnd,
            states,
            cancels,
            tracing);
  }

  @Override
  public RunningJob start(
      JobRequest job, int partition, JobState restored, Instant publishedAt, String traceparent) {
    JobTrace trace =
        services
            .tracing()
            .startJob(job, traceparent, restored == null ? null : restored.traceparent());
    JobRun run = new JobRun(job, partition, publishedAt, services, trace);
    if (restored == null) {
      run.start();
    } else if (restored.hasTask()) {
      run.resume(restored);
    } else {
      run.restart(restored);
    }
    return run;
  }
}
