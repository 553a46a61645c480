package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route fallback, waiting out outages, stopping spending, timeouts and call budgets against the
 * simulator.
 */
class ResilienceIT {
  /**
   * Two routes, the second dearer; small breaker windows so a test can open them with a few calls.
   */
  private static final Map<String, String> TWO_ROUTES =
      Map.of(
          "routes.0.model", "gpt-image-1.5",
          "routes.1.model", "gpt-image-1",
          "routes.1.price.image-output", "0.04",
          "breaker.minimum-calls", "2",
          "breaker.window-size", "4",
          "breaker.open-duration", "1s",
          "breaker.half-open-calls", "1",
          "retry.max-attempts", "2",
          "outage.probe-interval", "1s");

  private UpstreamSimulator simulator;

  @BeforeEach
  void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(300)))
                .build());
  }

  @AfterEach
  void stopSimulator() {
    simulator.close();
  }

  @Test
  void fallsBackToTheNextRouteWhenTheFirstIsDownAndRecordsWhy() throws Exception {
    simulator.routeDown("gpt-image-1.5");
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("w1", TWO_ROUTES);
      JobRequest job =
          JobRequest.builder("fallback-1", "catalog", "a chair " + fleet.jobsTopic()).build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(end.route()).isEqualTo("gpt-image-1");
      assertThat(end.routeReason()).contains("gpt-image-1.5").contains("service_unavailable");
      // Cost at the fallback route's own price: 4160 high square output tokens x $0.04 / 1000, plus
      // prompt tokens.
      assertThat(end.costUsd()).isGreaterThanOrEqualTo(new BigDecimal("0.1664"));
      assertThat(fleet.eventsOf(job.jobId()))
          .filteredOn(e -> e.status() == JobStatus.SUBMITTED)
          .allMatch(e -> "gpt-image-1".equals(e.route()));
      assertThat(simulator.stats().tasksCreatedForRoute("gpt-image-1")).isEqualTo(1);
      assertThat(simulator.stats().tasksCreatedForRoute("gpt-image-1.5")).isZero();
    }
  }

  @Test
  void aJobThatMayNotFallBackWaitsForItsRouteThenFailsAfterTheWait() throws Exception {
    simulator.routeDown("gpt-image-1.5");
    try (TestFleet fleet = new TestFleet(simulator)) {
      Map<String, String> config = new HashMap<>(TWO_ROUTES);
      config.put("outage.route-wait", "3s");
      fleet.startWorker("w1", config);
      JobRequest job =
          JobRequest.builder("no-fallback-1", "catalog", "a desk " + fleet.jobsTopic())
              .allowFallback(false)
              .build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
      assertThat(end.error().retryable()).isTrue();
      assertThat(
              Duration.between(fleet.eventsOf(job.jobId()).get(0).occurredAt(), end.occurredAt()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
      assertThat(simulator.stats().tasksCreatedForRoute("gpt-image-1")).isZero();
    }
  }

  @Test
  void whenEveryRouteIsDownJobsWaitWithoutFailingAndResumeWhenARouteIsBack() throws Exception {
    simulator.routeDown("gpt-image-1.5");
    simulator.routeDown("gpt-image-1");
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker worker = fleet.startWorker("w1", TWO_ROUTES);
      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        JobRequest job =
            JobRequest.builder("outage-" + i, "catalog", "a lamp " + i + " " + fleet.jobsTopic())
                .build();
        jobs.add(job);
        fleet.submit(job);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> worker.intakePausedReason().isPresent());
      assertThat(worker.intakePausedReason().get()).contains("circuit breaker");
      long createsWhileDown = simulator.stats().createRequests();
      assertThat(fleet.terminalEvents()).isEmpty();

      simulator.routeUp("gpt-image-1");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().size() == jobs.size());

      assertThat(fleet.terminalEvents().values())
          .allMatch(
              ends ->
                  ends.size() == 1
                      && ends.get(0).status() == JobStatus.SUCCEEDED
                      && ends.get(0).route().equals("gpt-image-1"));
      assertThat(createsWhileDown).as("no retry storm while every route was down").isLessThan(60);
      assertThat(worker.intakePausedReason()).isEmpty();
    }
  }

  @Test
  void outOfCreditStopsSpendingKeepsTheJobsAndResumesWhenCreditIsBack() throws Exception {
    simulator.setQuotaExhausted(true);
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker worker = fleet.startWorker("w1", TWO_ROUTES);
      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        JobRequest job =
            JobRequest.builder("broke-" + i, "catalog", "a vase " + i + " " + fleet.jobsTopic())
                .build();
        jobs.add(job);
        fleet.submit(job);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> worker.spendingStoppedReason().isPresent());
      assertThat(worker.spendingStoppedReason().get()).contains("insufficient_quota");
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> fleet.terminalEvents().isEmpty());
      assertThat(simulator.stats().createRequests())
          .as("one probe per interval, no storm")
          .isLessThan(15);

      simulator.setQuotaExhausted(false);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().size() == jobs.size());
      assertThat(fleet.terminalEvents().values())
          .allMatch(ends -> ends.get(0).status() == JobStatus.SUCCEEDED);
      assertThat(worker.spendingStoppedReason()).isEmpty();
    }
  }

  @Test
  void honoursRetryAfter() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("w1", Map.of("retry.initial-backoff", "10ms"));
      JobRequest job =
          JobRequest.builder(
                  "limited-1",
                  "catalog",
                  "a rug [sim:create=429x1,retry-after=2] " + fleet.jobsTopic())
              .build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      List<StatusEvent> events = fleet.eventsOf(job.jobId());
      StatusEvent accepted =
          events.stream().filter(e -> e.status() == JobStatus.ACCEPTED).findFirst().orElseThrow();
      StatusEvent submitted =
          events.stream().filter(e -> e.status() == JobStatus.SUBMITTED).findFirst().orElseThrow();
      assertThat(Duration.between(accepted.occurredAt(), submitted.occurredAt()))
          .as("the retry waited for Retry-After: 2 s, not the 10 ms backoff")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
      assertThat(simulator.stats().responses(429)).isEqualTo(1);
    }
  }

  @Test
  void hungConnectionsTimeOutAndLeakNoThreads() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("w1", Map.of("upstream.request-timeout", "1s"));
      JobRequest warmUp =
          JobRequest.builder("warm-up", "catalog", "warm up " + fleet.jobsTopic()).build();
      fleet.submit(warmUp);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(warmUp.jobId()));
      int threadsBefore = Thread.activeCount();

      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        JobRequest job =
            JobRequest.builder(
                    "hung-" + i,
                    "catalog",
                    "a clock " + i + " [sim:create=hangx1] " + fleet.jobsTopic())
                .build();
        jobs.add(job);
        fleet.submit(job);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().size() == jobs.size() + 1);

      assertThat(fleet.terminalEvents().values())
          .allMatch(ends -> ends.get(0).status() == JobStatus.SUCCEEDED);
      assertThat(simulator.stats().hungRequests()).isEqualTo(20);
      // 20 calls hung at once: a thread per call would show as 20 more threads.
      assertThat(Thread.activeCount())
          .as("hung calls hold no threads")
          .isLessThanOrEqualTo(threadsBefore + 6);
    }
  }

  @Test
  void neverExceedsTheUpstreamCallBudgetOfAJob() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker(
          "w1",
          Map.of(
              "upstream.max-calls-per-job",
              "3",
              "retry.max-attempts",
              "10",
              "outage.route-wait",
              "2s"));
      String prompt = "a bench [sim:create=503x20] " + fleet.jobsTopic();
      JobRequest job = JobRequest.builder("budget-1", "catalog", prompt).build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.FAILED);
      assertThat(end.error().code()).isEqualTo("call_budget_spent");
      assertThat(simulator.stats().createRequests()).isEqualTo(3);
    }
  }
}
