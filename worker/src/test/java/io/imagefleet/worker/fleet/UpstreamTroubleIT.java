package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the upstream does wrong, and how each job still ends exactly once. */
class UpstreamTroubleIT {
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(300)))
                .build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @Test
  void retriesThrough503sAndSucceedsWithOnePaidTask() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      String prompt = "a lamp [sim:create=503x2] " + fleet.jobsTopic();
      JobRequest job = JobRequest.builder("flaky-1", "catalog", prompt).build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
    }
  }

  @Test
  void aLostCreationAnswerIsSubmittedAgainAndReportedAsUnconfirmed() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1", Map.of("upstream.request-timeout", "1s"));
      String prompt = "a vase [sim:create=lostx1] " + fleet.jobsTopic();
      JobRequest job = JobRequest.builder("lost-answer-1", "catalog", prompt).build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(end.unconfirmedSubmissions()).as("the lost answer is reported").isEqualTo(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt))
          .as("the lost task was paid too")
          .isEqualTo(2);
    }
  }

  @Test
  void underTheFailPolicyALostCreationAnswerFailsTheJobInsteadOfPayingAgain() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker(
          "worker-1",
          Map.of("upstream.request-timeout", "1s", "upstream.unconfirmed-submission", "fail"));
      String prompt = "a jug [sim:create=lostx1] " + fleet.jobsTopic();
      JobRequest job = JobRequest.builder("lost-answer-2", "catalog", prompt).build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.FAILED);
      assertThat(end.error().code()).isEqualTo("submission_unconfirmed");
      assertThat(end.error().retryable()).isFalse();
      assertThat(end.unconfirmedSubmissions()).isEqualTo(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
    }
  }

  @Test
  void unusableResultsFailTheJobWithACodeAndSettleItsReservation() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1", Map.of("budgets.catalog.daily-usd", "1000"));
      JobRequest noHost =
          JobRequest.builder(
                  "no-host-1", "catalog", "a cup [sim:results=nohost] " + fleet.jobsTopic())
              .build();
      JobRequest tooFew =
          JobRequest.builder(
                  "too-few-1", "catalog", "two bowls [sim:results=missing] " + fleet.jobsTopic())
              .n(2)
              .build();
      fleet.submit(noHost);
      fleet.submit(tooFew);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet
                      .terminalEvents()
                      .keySet()
                      .containsAll(List.of(noHost.jobId(), tooFew.jobId())));

      for (JobRequest job : List.of(noHost, tooFew)) {
        StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
        assertThat(end.status()).as(job.jobId()).isEqualTo(JobStatus.FAILED);
        assertThat(end.error().code())
            .as(job.jobId())
            .isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
        assertThat(end.error().retryable()).as(job.jobId()).isFalse();
        assertThat(end.upstreamTaskId()).isNotBlank();
        assertThat(fleet.terminalEvents().get(job.jobId()))
            .as("exactly one terminal event")
            .hasSize(1);
      }
      try (TestFleet.Collector ledger =
          new TestFleet.Collector(fleet.bootstrapServers(), fleet.budgetsTopic(), 3)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(
                            ledger.records().stream()
                                .map(r -> tree(r.value()))
                                .filter(entry -> entry.path("kind").asText().equals("SETTLE"))
                                .map(
                                    entry ->
                                        entry.path("reservation_id").asText()
                                            + " "
                                            + entry
                                                .path("amount_usd")
                                                .decimalValue()
                                                .stripTrailingZeros()
                                                .toPlainString()))
                        .as(
                            "both reservations settled, and released: a failed job is charged"
                                + " nothing")
                        .anySatisfy(
                            s -> assertThat(s).startsWith(noHost.jobId() + "/").endsWith(" 0"))
                        .anySatisfy(
                            s -> assertThat(s).startsWith(tooFew.jobId() + "/").endsWith(" 0")));
      }
    }
  }

  @Test
  void aTooLargeImageFailsItsJobWithItsOwnCodeAndIsNotRetried() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1", Map.of("upstream.max-download-bytes", "100"));
      JobRequest job =
          JobRequest.builder("too-large-1", "catalog", "a wide mural " + fleet.jobsTopic()).build();
      long downloadsBefore = simulator.stats().downloadRequests();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.FAILED);
      assertThat(end.error().code()).isEqualTo(ErrorCodes.DOWNLOAD_TOO_LARGE);
      assertThat(end.error().message()).contains("upstream.max-download-bytes");
      assertThat(simulator.stats().downloadRequests() - downloadsBefore)
          .as("not retried")
          .isEqualTo(1);
    }
  }

  @Test
  void aResultLinkOnAPrivateAddressIsNotFetchedUnlessAllowed() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      // The simulator's links are on 127.0.0.1: what a link to an internal address looks like.
      fleet.startWorker("worker-1", Map.of("upstream.allow-private-downloads", "false"));
      JobRequest job =
          JobRequest.builder("private-link-1", "catalog", "a small desk " + fleet.jobsTopic())
              .build();
      long downloadsBefore = simulator.stats().downloadRequests();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.FAILED);
      assertThat(end.error().code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
      assertThat(end.error().message()).contains("127.0.0.1");
      assertThat(simulator.stats().downloadRequests())
          .as("nothing fetched")
          .isEqualTo(downloadsBefore);
    }
  }

  private static JsonNode tree(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void contentPolicyRefusalFailsWithTheUpstreamCodeAndIsNotRetried() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      String prompt = "forbidden [sim:fail=content_policy_violation] " + fleet.jobsTopic();
      JobRequest job = JobRequest.builder("refused-1", "catalog", prompt).build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.FAILED);
      assertThat(end.error().code()).isEqualTo("content_policy_violation");
      assertThat(end.error().retryable()).isFalse();
      assertThat(end.upstreamTaskId()).isNotBlank();
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
    }
  }

  @Test
  void aRefusedKeyTakesNoJobAndSpendsNothing() throws Exception {
    try (UpstreamSimulator own =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .taskDuration(DurationDistribution.fixed(Duration.ofMillis(100)))
                    .build());
        TestFleet fleet = new TestFleet(own)) {
      Worker worker =
          fleet.startWorker("worker-1", Map.of("upstream.api-key", "sk-wrong-key-0000"));
      for (int i = 0; i < 5; i++) {
        fleet.submit(JobRequest.builder("unauthorized-" + i, "catalog", "a chair " + i).build());
      }

      // The key is checked before the worker joins the group (ApiKeyCheckIT): it takes no job, so
      // it fails none and calls nothing but the check itself.
      assertThat(worker.apiKeyRefusal().orElseThrow())
          .contains("unauthorized")
          .doesNotContain("sk-wrong-key-0000");
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> fleet.terminalEvents().isEmpty());
      assertThat(own.stats().createRequests()).as("no retries, no storm").isZero();
      assertThat(fleet.events().toString()).doesNotContain("sk-wrong-key-0000");
    }
  }
}
