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
import io.imagefleet.worker.job.CostEstimator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two workers race for the last dollars of a tenant's budget: the ledger orders their reservations,
 * so the budget is never overshot; a worker started afterwards rebuilds the spend from the log.
 */
class BudgetRaceIT {
  private static final int JOBS = 12;
  private static final int AFFORDABLE = 5;
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    // Tasks long enough that every reservation is decided while the granted jobs still run.
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(2500)))
                .build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @Test
  void twoRacingWorkersNeverOvershootATenantsBudgetAndANewWorkerRemembersTheSpend()
      throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(
            JobRequest.builder(
                    "race-" + i, "catalog", "poster " + (10 + i) + " " + fleet.jobsTopic())
                .quality("high")
                .size("1:1")
                .build());
      }
      CostEstimator estimator = new CostEstimator(fleet.config("probe", Map.of()));
      BigDecimal largest =
          jobs.stream()
              .map(j -> estimator.estimate(j, j.route()).orElseThrow())
              .max(BigDecimal::compareTo)
              .orElseThrow();
      // Room for five jobs and half of a sixth.
      BigDecimal budget =
          largest
              .multiply(BigDecimal.valueOf(AFFORDABLE))
              .add(largest.divide(BigDecimal.valueOf(2), 6, RoundingMode.HALF_UP));
      Map<String, String> limits = Map.of("budgets.catalog.daily-usd", budget.toPlainString());

      Worker first = fleet.startWorker("worker-1", limits);
      Worker second = fleet.startWorker("worker-2", limits);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  first.assignedPartitions() > 0
                      && second.assignedPartitions() > 0
                      && first.assignedPartitions() + second.assignedPartitions()
                          == TestFleet.PARTITIONS);
      jobs.forEach(fleet::submit);

      await().atMost(Duration.ofSeconds(90)).until(() -> fleet.terminalEvents().size() == JOBS);

      List<StatusEvent> ends = fleet.terminalEvents().values().stream().map(e -> e.get(0)).toList();
      List<StatusEvent> succeeded =
          ends.stream().filter(e -> e.status() == JobStatus.SUCCEEDED).toList();
      List<StatusEvent> refused =
          ends.stream().filter(e -> e.status() == JobStatus.FAILED).toList();
      BigDecimal spent =
          succeeded.stream().map(StatusEvent::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);

      assertThat(spent).as("spend against a budget of $%s", budget).isLessThanOrEqualTo(budget);
      assertThat(succeeded).hasSize(AFFORDABLE);
      assertThat(refused)
          .hasSize(JOBS - AFFORDABLE)
          .allSatisfy(e -> assertThat(e.error().code()).isEqualTo(ErrorCodes.BUDGET_EXCEEDED));
      assertThat(ends).extracting(StatusEvent::workerId).contains("worker-1", "worker-2");
      try (TestFleet.Collector ledger =
          new TestFleet.Collector(fleet.bootstrapServers(), fleet.budgetsTopic(), 3)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.records().size() >= JOBS);
        List<String> reservers =
            ledger.records().stream()
                .map(r -> tree(r.value()))
                .filter(entry -> entry.path("kind").asText().equals("RESERVE"))
                .map(entry -> entry.path("worker_id").asText())
                .toList();
        assertThat(reservers)
            .as("both workers reserved from the same budget")
            .hasSize(JOBS)
            .contains("worker-1", "worker-2");
      }
      for (JobRequest job : jobs) {
        boolean ran = succeeded.stream().anyMatch(e -> e.jobId().equals(job.jobId()));
        assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt()))
            .as(job.jobId())
            .isEqualTo(ran ? 1 : 0);
      }

      // A worker that starts now knows nothing but the ledger: it must still see the spend.
      first.close();
      second.close();
      Worker third = fleet.startWorker("worker-3", limits);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> third.assignedPartitions() == TestFleet.PARTITIONS);
      JobRequest tooMuch =
          JobRequest.builder("race-after", "catalog", "poster 99 " + fleet.jobsTopic())
              .quality("high")
              .size("1:1")
              .build();
      JobRequest fits =
          JobRequest.builder("race-small", "catalog", "sticker 98 " + fleet.jobsTopic())
              .quality("low")
              .size("1:1")
              .build();
      fleet.submit(tooMuch);
      fleet.submit(fits);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet
                      .terminalEvents()
                      .keySet()
                      .containsAll(List.of(tooMuch.jobId(), fits.jobId())));
      assertThat(fleet.terminalEvents().get(tooMuch.jobId()).get(0).error().code())
          .isEqualTo(ErrorCodes.BUDGET_EXCEEDED);
      assertThat(fleet.terminalEvents().get(fits.jobId()).get(0).status())
          .isEqualTo(JobStatus.SUCCEEDED);
      assertThat(simulator.stats().tasksCreatedForPrompt(tooMuch.prompt())).isZero();
    }
  }

  private static JsonNode tree(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
