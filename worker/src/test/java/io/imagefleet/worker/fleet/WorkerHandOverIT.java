package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A worker that stops in the middle of a batch loses no job and pays for nothing twice: its
 * partitions move on, and their next owner resumes the accepted tasks from the job-state topic.
 */
class WorkerHandOverIT {

  @Test
  void workerStoppedMidBatchLosesNoJob() throws Exception {
    try (UpstreamSimulator simulator =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(2)))
                    .build());
        TestFleet fleet = new TestFleet(simulator)) {
      // A grace shorter than the tasks: the stopping worker must release unfinished jobs, not
      // finish them.
      Worker leaving = fleet.startWorker("leaving", Map.of("intake.shutdown-grace", "500ms"));
      Worker staying = fleet.startWorker("staying");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  leaving.assignedPartitions() + staying.assignedPartitions()
                          == TestFleet.PARTITIONS
                      && leaving.assignedPartitions() > 0
                      && staying.assignedPartitions() > 0);

      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        JobRequest job = JobRequest.builder("handover-" + i, "catalog", "a stool " + i).build();
        jobs.add(job);
        fleet.submit(job);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fleet.events().stream()
                      .anyMatch(
                          e ->
                              e.workerId().equals("leaving") && e.status() == JobStatus.SUBMITTED));
      leaving.close();

      fleet.awaitEnded(jobs);

      for (JobRequest job : jobs) {
        List<StatusEvent> ends = fleet.terminalEvents().get(job.jobId());
        assertThat(ends)
            .as("terminal events of %s", job.jobId())
            .hasSize(1)
            .allMatch(e -> e.status() == JobStatus.SUCCEEDED);
        assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt()))
            .as("paid tasks of %s", job.jobId())
            .isEqualTo(1);
      }
      assertThat(fleet.terminalEvents().values().stream().flatMap(List::stream))
          .anyMatch(e -> e.workerId().equals("staying"));
    }
  }

  /**
   * A worker joining a busy group gets its partitions in seconds although the old owner's jobs
   * queue behind a route's rate limit: jobs waiting their turn to create are handed over at once,
   * only a creation under way is waited for. The grace is longer than the test waits, so a
   * hand-over that waited for the queue would fail it.
   */
  @Test
  void aJoiningWorkerIsNotHeldUpByJobsQueuedBehindARateLimit() throws Exception {
    try (UpstreamSimulator simulator =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .taskDuration(DurationDistribution.fixed(Duration.ofMillis(500)))
                    .build());
        TestFleet fleet = new TestFleet(simulator)) {
      Map<String, String> config =
          Map.of("routes.0.rate-limit", "2", "intake.shutdown-grace", "2m");
      Worker first = fleet.startWorker("first", config);
      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        jobs.add(JobRequest.builder("queued-" + i, "catalog", "a bench " + i).build());
      }
      fleet.submitTogether(jobs);
      await().atMost(Duration.ofSeconds(30)).until(() -> first.inFlight() >= 40);

      Worker joining = fleet.startWorker("joining", config);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> joining.assignedPartitions() > 0 && first.assignedPartitions() > 0);

      fleet.awaitEnded(jobs);
      fleet.assertEachSucceededOncePaidAsReported(jobs);
    }
  }

  /**
   * A dead letter is held until its record's offset commits: a bad record behind a job still
   * running is not dead-lettered by the worker that hands the partition over, only by the next
   * owner.
   */
  @Test
  void aBadRecordHandedOverWithItsPartitionIsDeadLetteredOnce() throws Exception {
    try (UpstreamSimulator simulator =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(3)))
                    .build());
        TestFleet fleet = new TestFleet(simulator)) {
      JobRequest running =
          JobRequest.builder("ahead-of-the-bad-record", "catalog", "a lamp").build();
      fleet.submit(running);
      // Same key, same partition, next offset: its offset cannot commit before the job ahead ends.
      fleet.send(
          running.jobId().getBytes(StandardCharsets.UTF_8),
          "{not json".getBytes(StandardCharsets.UTF_8));

      Worker leaving = fleet.startWorker("leaving", Map.of("intake.shutdown-grace", "200ms"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fleet.eventsOf(running.jobId()).stream()
                      .anyMatch(e -> e.status() == JobStatus.SUBMITTED));
      leaving.close();
      fleet.startWorker("next-owner");

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet.deadLetters().stream()
                      .anyMatch(letter -> worker(letter).equals("next-owner")));
      assertThat(fleet.deadLetters())
          .as("none from the worker that handed the partition over")
          .hasSize(1);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.terminalEvents().containsKey(running.jobId()));
      assertThat(fleet.terminalEvents().get(running.jobId())).hasSize(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(running.prompt())).isEqualTo(1);
    }
  }

  private static String worker(ConsumerRecord<byte[], byte[]> letter) {
    return new String(
        letter.headers().lastHeader(DeadLetterHeaders.WORKER).value(), StandardCharsets.UTF_8);
  }
}
