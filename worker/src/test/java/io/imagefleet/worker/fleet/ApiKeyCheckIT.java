package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker whose API key the upstream refuses takes no jobs: it stays up, out of the consumer
 * group, says why on readiness and {@code /status}, and leaves the jobs to a worker with a good
 * key. Real broker, real simulator.
 */
class ApiKeyCheckIT {

  @Test
  void aWorkerWithABadKeyTakesNoJobsAndSaysWhy() throws Exception {
    try (UpstreamSimulator simulator =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .taskDuration(
                        DurationDistribution.uniform(
                            Duration.ofMillis(100), Duration.ofMillis(300)))
                    .build());
        TestFleet fleet = new TestFleet(simulator)) {
      Worker bad = fleet.startWorker("bad-key", Map.of("upstream.api-key", "sk-not-this-one"));

      assertThat(bad.apiKeyRefusal())
          .hasValueSatisfying(
              reason ->
                  assertThat(reason)
                      .startsWith("the upstream refuses the API key (HTTP 401 unauthorized)")
                      .contains("upstream.api-key", "IMAGEFLEET_UPSTREAM_API_KEY")
                      .doesNotContain("sk-not-this-one"));
      OpsEndpoint ops = new OpsEndpoint(bad);
      assertThat(ops.get("/health/live").statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                var ready = ops.get("/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("refuses the API key");
              });
      assertThat(ops.get("/status").body())
          .contains("refuses the API key")
          .doesNotContain("sk-not-this-one");

      fleet.submit(JobRequest.builder("key-1", "catalog", "a chair").build());
      // Nothing is taken: no event, no task, no partition, for as long as the bad worker is alone.
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(6))
          .until(
              () ->
                  fleet.eventsOf("key-1").isEmpty()
                      && bad.assignedPartitions() == 0
                      && simulator.stats().tasksCreated() == 0);

      fleet.startWorker("good-key");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(fleet.eventsOf("key-1"))
                      .extracting(StatusEvent::status)
                      .contains(JobStatus.SUCCEEDED));
      assertThat(bad.assignedPartitions()).isZero();
    }
  }
}
