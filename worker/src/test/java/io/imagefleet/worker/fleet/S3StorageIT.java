package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.storage.LocalS3;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Jobs whose images go to an S3-compatible store: a real one on this machine, started by the test.
 */
class S3StorageIT {
  private static final String BUCKET = "fleet-images";
  private static UpstreamSimulator simulator;
  private static LocalS3 s3;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(300)))
                .build());
    s3 = LocalS3.start(BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    simulator.close();
    s3.close();
  }

  @Test
  void storesEveryImageInTheObjectStoreAndEventsCarryItsS3Location() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1", s3.workerSettings(BUCKET, "prod/"));
      JobRequest job =
          JobRequest.builder("s3-job-1", "catalog", "a teapot " + fleet.jobsTopic())
              .size("3:2")
              .quality("low")
              .n(2)
              .build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(end.images()).hasSize(2);
      for (StoredImage image : end.images()) {
        String key = "prod/catalog/s3-job-1/attempt-1/" + image.index() + ".png";
        assertThat(URI.create(image.location()))
            .isEqualTo(URI.create("s3://" + BUCKET + "/" + key));
        ResponseBytes<GetObjectResponse> stored =
            s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        assertThat(FleetEndToEndIT.sha256(stored.asByteArray()))
            .isEqualTo(image.sha256())
            .isEqualTo(simulator.expectedSha256(image.sourceUrl()));
        assertThat(stored.response().contentType()).isEqualTo("image/png");
        assertThat((long) stored.asByteArray().length).isEqualTo(image.bytes());
        assertThat(image.width()).isEqualTo(1536);
        assertThat(image.height()).isEqualTo(1024);
      }
    }
  }

  @Test
  void aWorkerWhoseBucketTakesNoWritesTakesNoJobsUntilItDoes() throws Exception {
    String bucket = "created-later-" + Long.toHexString(System.nanoTime());
    try (TestFleet fleet = new TestFleet(simulator)) {
      Map<String, String> settings = new HashMap<>(s3.workerSettings(bucket, "prod/"));
      settings.put("outage.probe-interval", "1s");
      Worker worker = fleet.startWorker("worker-1", settings);
      OpsEndpoint ops = new OpsEndpoint(worker);

      assertThat(worker.storageRefusal())
          .hasValueSatisfying(
              why ->
                  assertThat(why)
                      .contains("bucket " + bucket)
                      .contains("S3 answered 404")
                      .doesNotContain(LocalS3.SECRET_KEY)
                      .doesNotContain(LocalS3.ACCESS_KEY)
                      .doesNotContain(String.valueOf(s3.endpoint().getPort())));
      assertThat(ops.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(ops.get("/health/ready").body()).contains("takes no writes");
      assertThat(ops.get("/health/live").statusCode())
          .as("a store to wait for is no reason to restart")
          .isEqualTo(200);

      JobRequest job =
          JobRequest.builder("s3-later-1", "catalog", "a stool " + fleet.jobsTopic()).build();
      fleet.submit(job);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> simulator.stats().tasksCreatedForPrompt(job.prompt()) == 0);

      s3.client().createBucket(b -> b.bucket(bucket));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));
      assertThat(fleet.terminalEvents().get(job.jobId()).get(0).status())
          .isEqualTo(JobStatus.SUCCEEDED);
      assertThat(worker.storageRefusal()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ops.get("/health/ready").statusCode() == 200);
      assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt())).isEqualTo(1);
    }
  }
}
