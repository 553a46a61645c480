package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FleetEndToEndIT {
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(300), Duration.ofMillis(1500)))
                .build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @Test
  void fiftyJobsThroughTwoWorkersEndOnceEachWithVerifiedImages() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker first = fleet.startWorker("worker-1");
      Worker second = fleet.startWorker("worker-2");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  first.assignedPartitions() > 0
                      && second.assignedPartitions() > 0
                      && first.assignedPartitions() + second.assignedPartitions()
                          == TestFleet.PARTITIONS);

      List<JobRequest> jobs = new ArrayList<>();
      ImageSize[] sizes = ImageSize.values();
      for (int i = 0; i < 50; i++) {
        JobRequest job =
            JobRequest.builder("e2e-" + i, "catalog", "product shot " + i + " " + fleet.jobsTopic())
                .size(sizes[i % sizes.length])
                .quality(ImageQuality.values()[i % 3])
                .n(1 + i % 3)
                .metadata(Map.of("sku", "SKU-" + i))
                .build();
        jobs.add(job);
        fleet.submit(job);
      }

      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> fleet.terminalEvents().size() == jobs.size());

      var terminals = fleet.terminalEvents();
      for (JobRequest job : jobs) {
        assertThat(terminals.get(job.jobId())).as("terminal events of %s", job.jobId()).hasSize(1);
        StatusEvent end = terminals.get(job.jobId()).get(0);
        assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(end.route()).isEqualTo("gpt-image-1.5");
        assertThat(end.metadata()).containsEntry("sku", job.metadata().get("sku"));
        assertThat(end.costUsd()).isPositive();
        assertThat(end.usage().outputImageTokens()).isPositive();
        assertThat(end.images()).hasSize(job.n());
        ImageSize size = job.imageSize().orElseThrow();
        for (StoredImage image : end.images()) {
          byte[] stored = Files.readAllBytes(Path.of(URI.create(image.location())));
          assertThat(sha256(stored)).isEqualTo(image.sha256());
          assertThat(image.sha256()).isEqualTo(simulator.expectedSha256(image.sourceUrl()));
          assertThat(image.width()).isEqualTo(size.width());
          assertThat(image.height()).isEqualTo(size.height());
          assertThat(image.contentType()).isEqualTo("image/png");
          assertThat(Path.of(URI.create(image.location()))).startsWith(fleet.storage());
        }
        List<JobStatus> lifecycle =
            fleet.eventsOf(job.jobId()).stream().map(StatusEvent::status).toList();
        assertThat(lifecycle.get(0)).isEqualTo(JobStatus.ACCEPTED);
        assertThat(lifecycle)
            .containsSubsequence(JobStatus.ACCEPTED, JobStatus.SUBMITTED, JobStatus.SUCCEEDED);
        assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt()))
            .as("paid tasks of %s", job.jobId())
            .isEqualTo(1);
      }
      assertThat(terminals.values().stream().map(e -> e.get(0).workerId()).distinct())
          .containsExactlyInAnyOrder("worker-1", "worker-2");
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
