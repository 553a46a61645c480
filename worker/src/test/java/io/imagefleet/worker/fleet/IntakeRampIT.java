package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.TaskTiming;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Slow start on the real broker and the simulator: a backlog reaches the upstream spread over the
 * ramp-up.
 */
class IntakeRampIT {
  private static final int CAP = 30;

  @Test
  void aBacklogAfterIdlenessIsCreatedAtTheUpstreamOverTheRampUpNotInOneBurst() throws Exception {
    // Tasks outlast the ramp-up, so no slot frees during it: creations follow the opening cap
    // alone.
    try (UpstreamSimulator simulator =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(3)))
                    .build());
        TestFleet fleet = new TestFleet(simulator)) {
      Worker worker =
          fleet.startWorker(
              "ramping",
              Map.of("intake.max-in-flight", Integer.toString(CAP), "intake.ramp-up", "2s"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> worker.assignedPartitions() == TestFleet.PARTITIONS);
      // One job first, so the backlog below finds a warm worker that has gone idle again.
      fleet.submit(JobRequest.builder("warm-up", "catalog", "first").build());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.terminalEvents().size() == 1 && worker.inFlight() == 0);

      List<JobRequest> backlog =
          IntStream.range(0, CAP)
              .mapToObj(i -> JobRequest.builder("ramp-" + i, "catalog", "backlog " + i).build())
              .toList();
      fleet.submitTogether(backlog);
      await().atMost(Duration.ofSeconds(60)).until(() -> fleet.terminalEvents().size() == CAP + 1);

      List<Instant> created =
          backlog.stream()
              .map(
                  job -> {
                    List<StatusEvent> ends = fleet.terminalEvents().get(job.jobId());
                    assertThat(ends).as("terminal events of %s", job.jobId()).hasSize(1);
                    assertThat(ends.get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
                    return simulator
                        .taskTiming(ends.get(0).upstreamTaskId())
                        .map(TaskTiming::createdAt)
                        .orElseThrow();
                  })
              .sorted()
              .toList();
      // The last of 30 slots opens 29/30 of the way through the 2 s ramp-up; without it, all 30 go
      // in
      // the first poll's tens of milliseconds. A slow machine only spreads them more.
      assertThat(Duration.between(created.get(0), created.get(CAP - 1)))
          .as("from the backlog's first task created to its last")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
  }
}
