package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.PromptTokens;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A job's own cost ceiling, and the estimated and actual cost on its events. */
class CostCeilingIT {
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
  void refusesAJobWhoseEstimateIsAboveItsCeilingWithoutCallingTheUpstream() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      String prompt = "an expensive poster " + fleet.jobsTopic();
      JobRequest job =
          JobRequest.builder("ceiling-1", "catalog", prompt)
              .quality("high")
              .size("2:3")
              .n(2)
              .maxCostUsd(new BigDecimal("0.30"))
              .build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      List<StatusEvent> events = fleet.eventsOf(job.jobId());
      assertThat(events).extracting(StatusEvent::status).containsExactly(JobStatus.FAILED);
      StatusEvent end = events.get(0);
      assertThat(end.error().code()).isEqualTo(ErrorCodes.COST_CEILING_EXCEEDED);
      assertThat(end.error().retryable()).isFalse();
      assertThat(end.error().message()).contains("max_cost_usd of $0.30");
      assertThat(end.estimatedCostUsd()).isEqualByComparingTo(estimate(6240, 2, prompt));
      assertThat(end.costUsd()).isNull();
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt)).isZero();
    }
  }

  @Test
  void eventsCarryTheEstimateFromAcceptedOnAndTheActualCostAtTheEnd() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      String prompt = "a small sticker " + fleet.jobsTopic();
      JobRequest job =
          JobRequest.builder("ceiling-2", "catalog", prompt)
              .quality("low")
              .size("1:1")
              .n(2)
              .maxCostUsd(new BigDecimal("0.05"))
              .build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      BigDecimal expected = estimate(272, 2, prompt);
      List<StatusEvent> events = fleet.eventsOf(job.jobId());
      assertThat(events)
          .extracting(StatusEvent::status)
          .startsWith(JobStatus.ACCEPTED)
          .endsWith(JobStatus.SUCCEEDED);
      assertThat(events)
          .allSatisfy(e -> assertThat(e.estimatedCostUsd()).isEqualByComparingTo(expected));
      StatusEvent end = events.get(events.size() - 1);
      assertThat(end.costUsd()).isPositive();
      // Output tokens are what the estimate counted; only the upstream's own prompt count may
      // differ.
      assertThat(end.usage().outputImageTokens()).isEqualTo(272 * 2);
      assertThat(end.costUsd().subtract(expected).abs()).isLessThan(new BigDecimal("0.001"));
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
    }
  }

  private static BigDecimal estimate(long tokensPerImage, int n, String prompt) {
    return new BigDecimal("0.029")
        .multiply(BigDecimal.valueOf(tokensPerImage * n))
        .add(new BigDecimal("0.0045").multiply(BigDecimal.valueOf(PromptTokens.count(prompt))))
        .divide(BigDecimal.valueOf(1000), 6, RoundingMode.HALF_UP);
  }
}
