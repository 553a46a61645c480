package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobValidator;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.resilience.SpendingGate;
import io.imagefleet.worker.state.StateWriter;
import io.imagefleet.worker.storage.ImageStore;
import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.upstream.UpstreamClient;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every job run needs, shared by all runs of one worker. All members are thread safe. */
record JobServices(
    WorkerConfig config,
    JobValidator validator,
    RouteFit fit,
    UpstreamClient upstream,
    RouteTable routes,
    SpendingGate spending,
    ImageStore store,
    EventPublisher publisher,
    StatusEvents events,
    ScheduledExecutorService scheduler,
    PollSchedule pollSchedule,
    Clock clock,
    CostLimits limits,
    TerminalListener afterEnd,
    StateWriter states,
    CancelRequests cancels,
    JobTracing tracing) {}
