package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.ValidationCode;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes as models on a real broker and the simulator, which serves each model with its own rules:
 * a job is validated against the route it asks for, and falls back only to routes that can do it.
 */
class RouteModelsIT {
  /** gpt-image-2 first, priced per image; gpt-image-1.5 as the fallback. */
  private static final Map<String, String> ROUTES =
      Map.of(
          "routes.0.model", "gpt-image-2",
          "routes.0.price.per-image", "0.04",
          "routes.1.model", "gpt-image-1.5",
          "breaker.minimum-calls", "2",
          "breaker.window-size", "4",
          "breaker.open-duration", "1s",
          "retry.max-attempts", "2",
          "outage.route-wait", "3s");

  /** 3,000 o200k_base tokens, 12,000 characters: only gpt-image-2 takes it. */
  private static final String LONG = " cat".repeat(3_000);

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
  void aJobOnlyGptImage2CanDoNeverFallsBackWhileAnOrdinaryJobDoes() throws Exception {
    simulator.routeDown("gpt-image-2");
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("w1", ROUTES);
      JobRequest onlyV2 =
          JobRequest.builder("only-v2", "catalog", fleet.jobsTopic() + LONG)
              .route("gpt-image-2")
              .build();
      JobRequest ordinary =
          JobRequest.builder("ordinary", "catalog", "a chair " + fleet.jobsTopic())
              .route("gpt-image-2")
              .build();
      fleet.submit(onlyV2);
      fleet.submit(ordinary);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet
                      .terminalEvents()
                      .keySet()
                      .containsAll(java.util.List.of("only-v2", "ordinary")));

      StatusEvent waited = fleet.terminalEvents().get("only-v2").get(0);
      assertThat(waited.status()).isEqualTo(JobStatus.FAILED);
      assertThat(waited.error().code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
      assertThat(fleet.eventsOf("only-v2"))
          .allMatch(e -> e.route() == null || e.route().equals("gpt-image-2"));

      StatusEvent fellBack = fleet.terminalEvents().get("ordinary").get(0);
      assertThat(fellBack.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(fellBack.route()).isEqualTo("gpt-image-1.5");
      // One task in all on gpt-image-1.5: the ordinary job's; the long one never went there.
      assertThat(simulator.stats().tasksCreatedForRoute("gpt-image-1.5")).isEqualTo(1);
      assertThat(simulator.stats().tasksCreatedForRoute("gpt-image-2")).isZero();
    }
  }

  @Test
  void eachJobIsValidatedAgainstItsOwnRouteAndPricedByIt() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("w1", ROUTES);
      JobRequest tooLongFor15 =
          JobRequest.builder("long-on-1.5", "catalog", fleet.jobsTopic() + LONG)
              .route("gpt-image-1.5")
              .build();
      JobRequest longOnV2 =
          JobRequest.builder("long-on-2", "catalog", fleet.jobsTopic() + LONG)
              .route("gpt-image-2")
              .n(2)
              .build();
      fleet.submit(tooLongFor15);
      fleet.submit(longOnV2);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet
                      .terminalEvents()
                      .keySet()
                      .containsAll(java.util.List.of("long-on-1.5", "long-on-2")));

      StatusEvent refused = fleet.terminalEvents().get("long-on-1.5").get(0);
      assertThat(refused.error().code()).isEqualTo(ErrorCodes.INVALID_JOB);
      assertThat(refused.error().fieldErrors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.field()).isEqualTo("prompt");
                assertThat(e.code()).isEqualTo(ValidationCode.UNSUPPORTED_BY_ROUTE.wire());
              });
      assertThat(simulator.stats().tasksCreatedForRoute("gpt-image-1.5")).isZero();

      StatusEvent done = fleet.terminalEvents().get("long-on-2").get(0);
      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(done.route()).isEqualTo("gpt-image-2");
      assertThat(done.images()).hasSize(2);
      // Billed per call: 2 images x $0.04, and nothing per token on this route.
      assertThat(done.costUsd()).isEqualByComparingTo(new BigDecimal("0.08"));
      assertThat(done.estimatedCostUsd()).isEqualByComparingTo(new BigDecimal("0.08"));
      assertThat(simulator.stats().tasksCreatedForRoute("gpt-image-2")).isEqualTo(1);
    }
  }
}
