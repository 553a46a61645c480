package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.state.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workers are stateless: a killed worker, or workers coming and going mid-batch, never lose a job,
 * never show two endings of one job to a read_committed reader, and never pay for a task twice
 * without saying so on the job's ending.
 */
class CrashSafetyIT {
  /** Short sessions so a killed worker's partitions move within seconds. */
  private static final Map<String, String> FAST_GROUP =
      Map.of(
          "kafka.session.timeout.ms", "6000",
          "kafka.heartbeat.interval.ms", "1000",
          "state.transaction-timeout", "5s");

  private UpstreamSimulator simulator;

  @BeforeEach
  void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(3)))
                .build());
  }

  @AfterEach
  void stopSimulator() {
    simulator.close();
  }

  @Test
  void aKilledWorkersJobsAreResumedByTheNextOwnerAndEveryPaymentIsAccountedFor() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      Process doomed = fleet.startWorkerProcess("doomed", FAST_GROUP);
      // Its creation's answer never comes: the worker dies while the upstream holds a paid task.
      JobRequest unanswered =
          JobRequest.builder(
                  "killed-unanswered",
                  "catalog",
                  "[sim:create=lostx1] killed unanswered " + fleet.jobsTopic())
              .quality("low")
              .build();
      fleet.submit(unanswered);
      List<JobRequest> jobs = submit(fleet, "killed", 30);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  simulator.stats().tasksCreatedForPrompt(unanswered.prompt()) == 1
                      && fleet.events().stream()
                              .filter(
                                  e ->
                                      e.workerId().equals("doomed")
                                          && e.status() == JobStatus.SUBMITTED)
                              .count()
                          >= 10);

      doomed.destroyForcibly(); // SIGKILL: no hand-over, no last commit
      assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
      fleet.startWorker("survivor", FAST_GROUP);

      jobs.add(unanswered);
      fleet.awaitEnded(jobs);
      fleet.assertEachSucceededOncePaidAsReported(jobs);
      StatusEvent resubmitted = fleet.terminalEvents().get(unanswered.jobId()).get(0);
      assertThat(resubmitted.unconfirmedSubmissions())
          .as("the killed worker's unanswered creation")
          .isEqualTo(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(unanswered.prompt())).isEqualTo(2);
      assertThat(fleet.terminalEvents().values().stream().map(e -> e.get(0).workerId()))
          .as("the survivor finished the killed worker's jobs")
          .contains("survivor");
    }
  }

  @Test
  void underTheFailPolicyAJobLeftMidCreationFailsInsteadOfPayingAgain() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      JobRequest job =
          JobRequest.builder("left-mid-creation", "catalog", "a stool " + fleet.jobsTopic())
              .quality("low")
              .build();
      // What a worker killed during its creation call leaves behind: SUBMITTING, and no task id.
      fleet.writeState(
          JobState.submitting(JobIdentity.of(job), job.attempt(), 0, Instant.now(), "killed"));
      fleet.startWorker("survivor", Map.of("upstream.unconfirmed-submission", "fail"));
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));
      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.FAILED);
      assertThat(end.error().code()).isEqualTo("submission_unconfirmed");
      assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt())).isZero();
    }
  }

  @Test
  void aJobWhoseOwnerWasWaitingForARouteStartsOverWithoutCountingACreation() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      JobRequest job =
          JobRequest.builder("left-waiting", "catalog", "a bench " + fleet.jobsTopic())
              .quality("low")
              .build();
      fleet.writeState(
          JobState.waiting(JobIdentity.of(job), job.attempt(), 0, Instant.now(), "handed-over"));
      fleet.startWorker("next-owner", Map.of("upstream.unconfirmed-submission", "fail"));
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));
      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(end.unconfirmedSubmissions()).isNull();
      assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt())).isEqualTo(1);
    }
  }

  @Test
  void scalingFromOneToThreeToOneWorkersMidBatchLosesNothingAndPaysOnce() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("first");
      List<JobRequest> jobs = submit(fleet, "scale", 60);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fleet.events().stream().filter(e -> e.status() == JobStatus.SUBMITTED).count()
                      >= 10);

      Worker second = fleet.startWorker("second");
      Worker third = fleet.startWorker("third");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> second.assignedPartitions() > 0 && third.assignedPartitions() > 0);
      jobs.addAll(submit(fleet, "scale-more", 30));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fleet.events().stream()
                      .anyMatch(
                          e -> e.workerId().equals("third") && e.status() == JobStatus.SUBMITTED));
      second.close(); // SIGTERM: hands its running jobs over without waiting for them
      third.close();

      fleet.awaitEnded(jobs);
      fleet.assertEachSucceededOncePaidAsReported(jobs);
      assertThat(fleet.terminalEvents().values())
          .as("a graceful hand-over leaves no creation unanswered")
          .allSatisfy(ends -> assertThat(ends.get(0).unconfirmedSubmissions()).isNull());
    }
  }

  private static List<JobRequest> submit(TestFleet fleet, String prefix, int count) {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JobRequest job =
          JobRequest.builder(
                  prefix + "-" + i, "catalog", prefix + " shot " + i + " " + fleet.jobsTopic())
              .quality("low")
              .build();
      jobs.add(job);
      fleet.submit(job);
    }
    return jobs;
  }
}
