package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.Cancellation;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.SimulatorStats;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancel requests on a real broker and the simulator: a queued batch of one tenant is stopped
 * without a single task paid for any job not yet submitted, while other jobs run; cancels published
 * before their jobs, or before the worker started, still reach them; a tenant's own control topic
 * cancels only its jobs; a cancel of an ended job changes nothing; and a worker killed in the
 * middle of a cancel wave loses no job and pays for nothing unreported.
 */
class CancellationIT {
  private static final Map<String, String> SMALL_CAP = Map.of("intake.max-in-flight", "40");

  /** Short sessions so a killed worker's partitions move within seconds. */
  private static final Map<String, String> FAST_GROUP =
      Map.of(
          "intake.max-in-flight", "40",
          "kafka.session.timeout.ms", "6000",
          "kafka.heartbeat.interval.ms", "1000",
          "state.transaction-timeout", "5s");

  private UpstreamSimulator simulator;

  @BeforeEach
  void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(2)))
                .build());
  }

  @AfterEach
  void stopSimulator() {
    simulator.close();
  }

  @Test
  void fiveThousandQueuedJobsOfOneTenantAreCancelledAndNoneNotYetSubmittedIsPaid()
      throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("w1", SMALL_CAP);
      fleet.startWorker("w2", SMALL_CAP);
      List<JobRequest> batch = jobs(fleet, "catalog", "batch", 5_000);
      List<JobRequest> others = jobs(fleet, "marketing", "urgent", 50);
      List<JobRequest> queued = new ArrayList<>(batch);
      for (int i = 0; i < others.size(); i++) {
        queued.add(i * 100, others.get(i)); // the other tenant's jobs among the backlog
      }
      fleet.submitTogether(queued);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> simulator.stats().tasksCreated() >= 40);

      Instant cancelledAt = Instant.now();
      fleet.cancel(
          CancelRequest.ofAllQueued(
              "wrong-batch", "catalog", "published by mistake", cancelledAt, "test"));
      // Record timestamps are in milliseconds: the jobs below are published after the cancel.
      await().until(() -> Instant.now().toEpochMilli() > cancelledAt.toEpochMilli());
      List<JobRequest> after = jobs(fleet, "catalog", "after", 20);
      fleet.submitTogether(after);

      List<JobRequest> all = new ArrayList<>(queued);
      all.addAll(after);
      Map<String, List<StatusEvent>> ends = awaitEnds(fleet, all, Duration.ofSeconds(120));
      SimulatorStats stats = simulator.stats();
      Set<String> submitted =
          fleet.events().stream()
              .filter(e -> e.status() == JobStatus.SUBMITTED)
              .map(StatusEvent::jobId)
              .collect(Collectors.toSet());

      int cancelled = 0;
      int succeeded = 0;
      for (JobRequest job : batch) {
        StatusEvent end = ends.get(job.jobId()).get(0);
        long paid = stats.tasksCreatedForPrompt(job.prompt());
        if (end.status() == JobStatus.FAILED) {
          assertThat(end.error().code()).as(job.jobId()).isEqualTo(ErrorCodes.CANCELLED);
          assertThat(end.cancellation().outcome()).isEqualTo(Cancellation.Outcome.NOT_SUBMITTED);
          assertThat(end.cancellation().requestId()).isEqualTo("wrong-batch");
          assertThat(end.estimatedCostUsd()).as("the cost saved").isPositive();
          assertThat(paid).as("tasks of cancelled job %s", job.jobId()).isZero();
          assertThat(submitted).as("never submitted").doesNotContain(job.jobId());
          cancelled++;
        } else {
          assertThat(end.status()).as(job.jobId()).isEqualTo(JobStatus.SUCCEEDED);
          assertThat(paid).as("tasks of %s", job.jobId()).isEqualTo(1);
          if (end.cancellation() != null) {
            assertThat(end.cancellation().outcome())
                .isEqualTo(Cancellation.Outcome.PAID_TASK_FINISHED);
          }
          succeeded++;
        }
      }
      assertThat(cancelled).as("the queued part of the batch").isGreaterThan(4_500);
      assertThat(succeeded + cancelled).isEqualTo(batch.size());
      for (JobRequest job : others) {
        assertThat(ends.get(job.jobId()).get(0).status())
            .as("the other tenant's %s", job.jobId())
            .isEqualTo(JobStatus.SUCCEEDED);
      }
      for (JobRequest job : after) {
        assertThat(ends.get(job.jobId()).get(0).status())
            .as("published after the cancel: %s", job.jobId())
            .isEqualTo(JobStatus.SUCCEEDED);
      }
      assertThat(stats.tasksCreated())
          .as("paid once for each job that ran, for nothing else")
          .isEqualTo(succeeded + others.size() + after.size());
    }
  }

  @Test
  void cancelsPublishedBeforeTheirJobsOrTheWorkerStillReachThemAndAnEndedJobIsLeftAlone()
      throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.createControlTopic("marketing");
      Instant now = Instant.now();
      fleet.cancel(CancelRequest.ofJob("c-job", "catalog", "early-1", "no", now, "test"));
      fleet.cancel(CancelRequest.ofPrefix("c-prefix", "catalog", "pre-", null, now, "test"));
      String marketingTopic = fleet.tenantControlTopic("marketing");
      fleet.cancel(
          marketingTopic,
          CancelRequest.ofJob("c-foreign", "catalog", "foreign-1", "not theirs", now, "test"));
      fleet.cancel(
          marketingTopic, CancelRequest.ofJob("c-own", "marketing", "own-1", null, now, "test"));
      fleet.startWorker("w1");

      JobRequest early = job(fleet, "catalog", "early-1");
      JobRequest pre1 = job(fleet, "catalog", "pre-1");
      JobRequest pre2 = job(fleet, "catalog", "pre-2");
      JobRequest foreign = job(fleet, "catalog", "foreign-1");
      JobRequest own = job(fleet, "marketing", "own-1");
      JobRequest ended = job(fleet, "catalog", "ended-1");
      JobRequest otherTenantsPre = job(fleet, "marketing", "pre-3");
      List<JobRequest> first = List.of(early, pre1, pre2, foreign, own, ended, otherTenantsPre);
      first.forEach(fleet::submit);
      Map<String, List<StatusEvent>> ends = awaitEnds(fleet, first, Duration.ofSeconds(60));

      for (JobRequest cancelled : List.of(early, pre1, pre2, own)) {
        StatusEvent end = ends.get(cancelled.jobId()).get(0);
        assertThat(end.error().code()).as(cancelled.jobId()).isEqualTo(ErrorCodes.CANCELLED);
        assertThat(simulator.stats().tasksCreatedForPrompt(cancelled.prompt())).isZero();
      }
      assertThat(ends.get(own.jobId()).get(0).cancellation().requestId()).isEqualTo("c-own");
      for (JobRequest ran : List.of(foreign, ended, otherTenantsPre)) {
        assertThat(ends.get(ran.jobId()).get(0).status())
            .as("%s: another tenant's topic, or not covered", ran.jobId())
            .isEqualTo(JobStatus.SUCCEEDED);
      }

      int eventsOfEnded = fleet.eventsOf(ended.jobId()).size();
      fleet.cancel(
          CancelRequest.ofJob("c-ended", "catalog", ended.jobId(), null, Instant.now(), "test"));
      fleet.cancel(
          CancelRequest.ofJob("c-after", "catalog", "after-1", null, Instant.now(), "test"));
      JobRequest after = job(fleet, "catalog", "after-1");
      fleet.submit(after);
      awaitEnds(fleet, List.of(after), Duration.ofSeconds(30));

      assertThat(fleet.terminalEvents().get(after.jobId()).get(0).error().code())
          .isEqualTo(ErrorCodes.CANCELLED);
      assertThat(fleet.eventsOf(ended.jobId()))
          .as("the cancel of an ended job, applied before the next one, changed nothing")
          .hasSize(eventsOfEnded);
      assertThat(fleet.terminalEvents().get(ended.jobId())).hasSize(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(ended.prompt())).isEqualTo(1);
    }
  }

  @Test
  void aWorkerKilledDuringACancelWaveLosesNothingAndPaysNothingUnreported() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      Process doomed = fleet.startWorkerProcess("doomed", FAST_GROUP);
      fleet.startWorker("survivor", FAST_GROUP);
      List<JobRequest> batch = jobs(fleet, "catalog", "wave", 1_000);
      List<JobRequest> others = jobs(fleet, "marketing", "other", 30);
      List<JobRequest> all = new ArrayList<>(batch);
      all.addAll(others);
      fleet.submitTogether(all);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  fleet.events().stream()
                          .filter(
                              e ->
                                  e.workerId().equals("doomed")
                                      && e.status() == JobStatus.SUBMITTED)
                          .count()
                      >= 20);

      fleet.cancel(CancelRequest.ofAllQueued("wave", "catalog", null, Instant.now(), "test"));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  fleet.events().stream()
                      .anyMatch(
                          e ->
                              e.workerId().equals("doomed")
                                  && e.error() != null
                                  && ErrorCodes.CANCELLED.equals(e.error().code())));
      doomed.destroyForcibly(); // SIGKILL mid-wave: no hand-over, no last commit
      assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();

      Map<String, List<StatusEvent>> ends = awaitEnds(fleet, all, Duration.ofSeconds(120));
      SimulatorStats stats = simulator.stats();
      long reported = 0;
      long ran = 0;
      for (JobRequest job : all) {
        StatusEvent end = ends.get(job.jobId()).get(0);
        int unconfirmed = end.unconfirmedSubmissions() == null ? 0 : end.unconfirmedSubmissions();
        reported += unconfirmed;
        long paid = stats.tasksCreatedForPrompt(job.prompt());
        if (end.isCancelledBeforeSubmission()) {
          assertThat(job.tenant()).isEqualTo("catalog");
          assertThat(paid)
              .as("tasks of cancelled %s", job.jobId())
              .isLessThanOrEqualTo(unconfirmed);
        } else {
          assertThat(end.status()).as(job.jobId()).isEqualTo(JobStatus.SUCCEEDED);
          assertThat(paid).as("tasks of %s", job.jobId()).isBetween(1L, 1L + unconfirmed);
          ran++;
        }
      }
      for (JobRequest job : others) {
        assertThat(ends.get(job.jobId()).get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
      }
      assertThat(ran).as("most of the wave was cancelled").isLessThan(batch.size() / 2);
      assertThat(stats.tasksCreated())
          .as("every payment is a job that ran or one reported on its job")
          .isBetween(ran, ran + reported);
    }
  }

  /** Waits until every job has a terminal event; then each must have exactly one. */
  private static Map<String, List<StatusEvent>> awaitEnds(
      TestFleet fleet, List<JobRequest> jobs, Duration within) {
    List<String> ids = jobs.stream().map(JobRequest::jobId).toList();
    await()
        .atMost(within)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> fleet.terminalEvents().keySet().containsAll(ids));
    Map<String, List<StatusEvent>> ends = fleet.terminalEvents();
    for (String id : ids) {
      assertThat(ends.get(id)).as("terminal events of %s", id).hasSize(1);
    }
    return ends;
  }

  private static List<JobRequest> jobs(TestFleet fleet, String tenant, String prefix, int count) {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      jobs.add(job(fleet, tenant, prefix + "-" + i));
    }
    return jobs;
  }

  private static JobRequest job(TestFleet fleet, String tenant, String id) {
    return JobRequest.builder(
            id, tenant, id + " " + UUID.randomUUID().toString().substring(0, 6) + fleet.jobsTopic())
        .quality("low")
        .build();
  }
}
