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
import io.imagefleet.worker.resilience.Lane;
import io.imagefleet.worker.resilience.Lane.LaneView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream limits each API key's rate the way a gateway does (a token bucket for creations, one
 * for queries, 429 with Retry-After beyond them, in bursts), and the fleet treats that as flow
 * control: no breaker opens, paid tasks keep being polled, workers share what they learn.
 */
class RateLimitIT {
  private static final String ROUTE = "gpt-image-1.5";

  /** Breakers that one burst of 429s would open, if 429s counted. */
  private static final Map<String, String> SENSITIVE_BREAKER =
      Map.of(
          "breaker.minimum-calls", "4",
          "breaker.window-size", "8",
          "breaker.open-duration", "30s",
          "retry.max-attempts", "2");

  private UpstreamSimulator simulator;

  private void startSimulator(Duration taskTime) {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder().taskDuration(DurationDistribution.fixed(taskTime)).build());
  }

  @AfterEach
  void stopSimulator() {
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void burstsOf429NeverOpenABreakerAndEveryJobSucceeds() throws Exception {
    startSimulator(Duration.ofMillis(500));
    simulator.setRateLimits(6, 0);
    try (TestFleet fleet = new TestFleet(simulator);
        LogCapture logs = new LogCapture()) {
      Worker worker = fleet.startWorker("w1", SENSITIVE_BREAKER);
      List<JobRequest> jobs = jobs(fleet, "burst", 60);
      fleet.submitTogether(jobs);

      await().atMost(Duration.ofSeconds(90)).until(() -> fleet.terminalEvents().size() == 60);

      assertThat(fleet.terminalEvents().values())
          .allSatisfy(ends -> assertThat(ends).singleElement().matches(this::succeeded));
      assertThat(simulator.stats().createsRateLimited())
          .as("the fleet went past the gateway's limit (slow start) and was answered 429")
          .isPositive();
      assertThat(logs.linesOf("io.imagefleet.worker.metrics.RouteMetrics"))
          .as("no breaker transition")
          .noneMatch(line -> line.contains("circuit breaker of route"));
      LaneView creations = lane(worker, Lane.creations(ROUTE));
      assertThat(creations.throttled()).isPositive();
      assertThat(creations.fleetRate()).isLessThanOrEqualTo(12); // learned near the limit of 6/s
      assertThat(simulator.stats().tasksCreated()).isEqualTo(60); // none paid twice
    }
  }

  @Test
  void paidTasksArePolledAndFinishWhileCreationsAreThrottled() throws Exception {
    startSimulator(Duration.ofMillis(300));
    simulator.setRateLimits(2, 0);
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("w1", Map.of("routes.0.rate-limit", "2"));
      List<JobRequest> jobs = jobs(fleet, "paid", 16);
      fleet.submitTogether(jobs);

      // Creations take 8 s at 2/s; the tasks created first end long before the last is created.
      await().atMost(Duration.ofSeconds(30)).until(() -> fleet.terminalEvents().size() >= 4);
      long createdWhenFourHadEnded = simulator.stats().tasksCreated();
      await().atMost(Duration.ofSeconds(60)).until(() -> fleet.terminalEvents().size() == 16);

      assertThat(createdWhenFourHadEnded)
          .as("jobs ended while creations were still waiting for their turn")
          .isLessThan(16);
      // Behind the creations, a poll would wait for up to 15 of them at 2/s (7.5 s); the bound
      // leaves a loaded machine's pauses room on both sides.
      assertThat(simulator.stats().maxPollGapMillis())
          .as("no paid task waited behind the throttled creations to be polled")
          .isLessThan(5_000);
      assertThat(fleet.terminalEvents().values())
          .allSatisfy(ends -> assertThat(ends).singleElement().matches(this::succeeded));
    }
  }

  @Test
  void a402SeenByOneWorkerStopsEveryWorkerAndOneProbeResumesThemAll() throws Exception {
    startSimulator(Duration.ofMillis(300));
    try (TestFleet fleet = new TestFleet(simulator)) {
      Map<String, String> config = Map.of("outage.probe-interval", "3s");
      List<Worker> workers =
          List.of(
              fleet.startWorker("w1", config),
              fleet.startWorker("w2", config),
              fleet.startWorker("w3", config));
      JobRequest job =
          JobRequest.builder(
                  "credit-1", "catalog", "a lamp [sim:create=402x1] " + fleet.jobsTopic())
              .build();
      fleet.submit(job);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> workers.stream().anyMatch(w -> w.spendingStoppedReason().isPresent()));
      Instant firstStopped = Instant.now();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> workers.stream().allMatch(w -> w.spendingStoppedReason().isPresent()));
      assertThat(simulator.stats().responses(402))
          .as("one worker was answered 402; the others learned it from the fleet")
          .isEqualTo(1);
      assertThat(Duration.between(firstStopped, Instant.now())).isLessThan(Duration.ofSeconds(5));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> workers.stream().allMatch(w -> w.spendingStoppedReason().isEmpty()));
      assertThat(fleet.terminalEvents().get(job.jobId())).singleElement().matches(this::succeeded);
    }
  }

  @Test
  void threeWorkersShareTheGatewaysLimitAndSettleJustUnderIt() throws Exception {
    double limit = 10;
    startSimulator(Duration.ofMillis(500));
    simulator.setRateLimits(limit, 0);
    try (TestFleet fleet = new TestFleet(simulator)) {
      for (String id : List.of("w1", "w2", "w3")) {
        fleet.startWorker(id, Map.of());
      }
      fleet.submitTogether(jobs(fleet, "share", 1_100));

      // Slow start, its cut to the last rate that was not refused and the climb back to the limit
      // take about half a minute; then measure 500 creations (several cycles of cut and climb),
      // with jobs left over so no worker runs dry.
      await().atMost(Duration.ofSeconds(90)).until(() -> simulator.stats().tasksCreated() >= 300);
      long limitedBefore = simulator.stats().createsRateLimited();
      // Filled by Awaitility's polling thread, read here once it returns.
      List<CreationCount> counts = new CopyOnWriteArrayList<>();
      long target = simulator.stats().tasksCreated() + 500;
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                CreationCount now =
                    new CreationCount(System.nanoTime(), simulator.stats().tasksCreated());
                counts.add(now);
                return now.created() >= target;
              });
      long limited = simulator.stats().createsRateLimited() - limitedBefore;
      long created = counts.get(counts.size() - 1).created() - counts.get(0).created();

      // The rate the fleet settles at is the typical one over windows of 5 s: a pause of the whole
      // machine (a shared CI runner, a collection) stalls one window without saying anything about
      // the pace, while a pace that settled too low or too high moves most windows.
      assertThat(medianRate(counts, Duration.ofSeconds(5)))
          .as("the fleet's creation rate, three workers together (%d 429s)", limited)
          .isBetween(0.9 * limit, limit * 1.1);
      assertThat(CreationCount.rate(counts.get(0), counts.get(counts.size() - 1)))
          .as("the fleet's creation rate over the whole measurement, stalls included")
          .isGreaterThan(0.75 * limit);
      assertThat(limited)
          .as("429s while settled, against %d creations", created)
          .isLessThan(created / 10); // the bench reports the real share
    }
  }

  /** How many tasks the upstream had created at a moment. */
  private record CreationCount(long nanos, long created) {
    static double rate(CreationCount from, CreationCount to) {
      return (to.created - from.created) / ((to.nanos - from.nanos) / 1e9);
    }
  }

  /** The median of the creation rates over consecutive windows at least {@code window} long. */
  private static double medianRate(List<CreationCount> counts, Duration window) {
    List<Double> rates = new ArrayList<>();
    CreationCount from = counts.get(0);
    for (CreationCount count : counts) {
      if (count.nanos() - from.nanos() >= window.toNanos()) {
        rates.add(CreationCount.rate(from, count));
        from = count;
      }
    }
    assertThat(rates).as("windows measured").hasSizeGreaterThanOrEqualTo(5);
    Collections.sort(rates);
    int mid = rates.size() / 2;
    return rates.size() % 2 == 1 ? rates.get(mid) : (rates.get(mid - 1) + rates.get(mid)) / 2;
  }

  @Test
  void aWorkerWithNothingToDoLendsItsPartOfTheRateToTheOneThatHasWork() throws Exception {
    startSimulator(Duration.ofMillis(500));
    simulator.setRateLimits(5, 0);
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker w1 = fleet.startWorker("w1", Map.of());
      Worker w2 = fleet.startWorker("w2", Map.of());
      // Every job on one partition: one worker has them all, the other has nothing to do.
      fleet.submitTogether(
          jobs(fleet, "lend", 2000).stream()
              .filter(job -> partitionOf(job.jobId()) == 0)
              .limit(150)
              .toList());

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                LaneView one = lane(w1, Lane.creations(ROUTE));
                LaneView two = lane(w2, Lane.creations(ROUTE));
                LaneView busy = one.waiting() > 0 ? one : two;
                LaneView idle = busy == one ? two : one;
                assertThat(busy.waiting()).isPositive();
                assertThat(busy.localRate()).isEqualTo(busy.fleetRate()); // the whole rate
                // ...while the idle worker sees it busy: a part of one of two
                assertThat(idle.localRate()).isEqualTo(idle.fleetRate() / 2);
              });
    }
  }

  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
        % TestFleet.PARTITIONS;
  }

  private boolean succeeded(StatusEvent end) {
    return end.status() == JobStatus.SUCCEEDED;
  }

  private static List<JobRequest> jobs(TestFleet fleet, String prefix, int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                JobRequest.builder(
                        prefix + "-" + i, "catalog", "a chair " + i + " " + fleet.jobsTopic())
                    .build())
        .toList();
  }

  private static LaneView lane(Worker worker, String name) {
    return worker.operations().status().lanes().stream()
        .filter(l -> l.lane().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
