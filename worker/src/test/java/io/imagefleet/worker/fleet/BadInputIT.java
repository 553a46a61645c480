package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear answer and loses nothing; the worker goes on. */
class BadInputIT {
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(200)))
                .build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @Test
  void malformedJsonGoesToTheDeadLetterTopicAndTheWorkerGoesOn() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      byte[] garbage = "{\"job_id\": \"x\", \"prompt\": ".getBytes(StandardCharsets.UTF_8);
      byte[] wrongType =
          "{\"job_id\":\"typed\",\"tenant\":\"t\",\"prompt\":\"p\",\"n\":\"three\"}"
              .getBytes(StandardCharsets.UTF_8);
      fleet.send("broken-1".getBytes(StandardCharsets.UTF_8), garbage);
      fleet.send("broken-2".getBytes(StandardCharsets.UTF_8), wrongType);
      JobRequest after =
          JobRequest.builder("after-the-bad-ones", "catalog", "a chair " + fleet.jobsTopic())
              .build();
      fleet.submit(after);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet.deadLetters().size() == 2
                      && fleet.terminalEvents().containsKey(after.jobId()));

      ConsumerRecord<byte[], byte[]> dead =
          fleet.deadLetters().stream()
              .filter(r -> Arrays.equals(r.key(), "broken-1".getBytes(StandardCharsets.UTF_8)))
              .findFirst()
              .orElseThrow();
      assertThat(dead.value()).isEqualTo(garbage);
      assertThat(header(dead, DeadLetterHeaders.REASON)).startsWith("undecodable");
      assertThat(header(dead, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(fleet.jobsTopic());
      assertThat(header(dead, DeadLetterHeaders.ORIGINAL_OFFSET)).isNotBlank();
      assertThat(header(dead, DeadLetterHeaders.ORIGINAL_PARTITION)).isNotBlank();
      assertThat(header(dead, DeadLetterHeaders.WORKER)).isEqualTo("worker-1");
      assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isNotBlank();
      assertThat(fleet.terminalEvents().get(after.jobId()).get(0).status())
          .isEqualTo(JobStatus.SUCCEEDED);
      assertThat(fleet.events()).noneMatch(e -> e.jobId().equals("typed"));
    }
  }

  @Test
  void invalidJobFailsWithEveryFieldCodeAndSpendsNothing() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      String prompt = "twelve chairs " + fleet.jobsTopic();
      JobRequest invalid =
          JobRequest.builder("invalid-1", "catalog", prompt)
              .n(11)
              .size("5:4")
              .callbackUrl("http://10.0.0.1/hook")
              .build();
      fleet.submit(invalid);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(invalid.jobId()));

      StatusEvent failed = fleet.terminalEvents().get(invalid.jobId()).get(0);
      assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
      assertThat(failed.error().code()).isEqualTo(ErrorCodes.INVALID_JOB);
      assertThat(failed.error().retryable()).isFalse();
      assertThat(failed.error().fieldErrors())
          .extracting(FieldError::field)
          .contains("n", "size", "callback_url");
      assertThat(failed.error().fieldErrors())
          .filteredOn(e -> e.field().equals("n"))
          .extracting(FieldError::code)
          .containsExactly("out_of_range");
      assertThat(fleet.eventsOf(invalid.jobId())).hasSize(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt)).isZero();
    }
  }

  @Test
  void jobForAnUnconfiguredRouteFailsWithAFieldCode() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      JobRequest job =
          JobRequest.builder("no-such-route", "catalog", "x " + fleet.jobsTopic())
              .route("dall-e-9")
              .build();
      fleet.submit(job);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));
      StatusEvent failed = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(failed.error().fieldErrors())
          .extracting(FieldError::field)
          .containsExactly("route");
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
