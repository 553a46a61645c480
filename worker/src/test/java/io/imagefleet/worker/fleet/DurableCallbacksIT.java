package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.callback.Receiver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callbacks are owed in Kafka, not in a worker's memory: a worker killed while it owes callbacks
 * leaves them to the next owner, which delivers each once under the same {@code webhook-id}; and
 * one tenant's tarpit receiver delays only that tenant's deliveries.
 */
class DurableCallbacksIT {
  private static final String CATALOG_SECRET = "whsec_Y2F0YWxvZy1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==";
  private static final String TARPIT_SECRET = "whsec_dGFycGl0LXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVmZ2g=";

  /** Short sessions so a killed worker's partitions move within seconds. */
  private static final Map<String, String> FAST_GROUP =
      Map.of(
          "kafka.session.timeout.ms", "6000",
          "kafka.heartbeat.interval.ms", "1000",
          "state.transaction-timeout", "5s");

  private static UpstreamSimulator simulator;

  @BeforeAll
  static void start() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(200)))
                .build());
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static Map<String, String> callbacks(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(FAST_GROUP);
    values.put("callbacks.secret.catalog", CATALOG_SECRET);
    values.put("callbacks.secret.tarpit", TARPIT_SECRET);
    values.put("callbacks.allow-private-destinations", "true");
    values.putAll(extra);
    return values;
  }

  private static List<JobRequest> jobs(TestFleet fleet, String tenant, int count, Receiver to) {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      jobs.add(
          JobRequest.builder(tenant + "-" + i, tenant, "a cup " + i + " " + fleet.jobsTopic())
              .callbackUrl("http://127.0.0.1:" + to.port() + "/hooks/" + tenant)
              .build());
    }
    return jobs;
  }

  private static List<CallbackDelivery> outcomes(TestFleet.Collector collector) {
    return collector.records().stream()
        .map(
            r -> {
              try {
                return Json.mapper().readValue(r.value(), CallbackDelivery.class);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  @Test
  void callbacksOwedByAKilledWorkerAreDeliveredOnceEachByTheNextOwner() throws Exception {
    int count = 12;
    Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    AtomicInteger raw = new AtomicInteger();
    CountDownLatch open = new CountDownLatch(1);
    try (TestFleet fleet = new TestFleet(simulator);
        Receiver receiver = Receiver.http("127.0.0.1", 0);
        TestFleet.Collector delivered =
            new TestFleet.Collector(
                fleet.bootstrapServers(), fleet.callbacksTopic(), TestFleet.PARTITIONS)) {
      // Unavailable until the first worker is dead; then a receiver that dedups by webhook-id.
      receiver.answering(
          r -> {
            raw.incrementAndGet();
            if (open.getCount() > 0) {
              return Receiver.Answer.status(503);
            }
            accepted
                .computeIfAbsent(r.header("webhook-id"), id -> new AtomicInteger())
                .incrementAndGet();
            return Receiver.Answer.status(200);
          });
      Map<String, String> settings =
          callbacks(
              Map.of(
                  "callbacks.retry-schedule",
                  "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"));
      Process doomed = fleet.startWorkerProcess("doomed", settings);
      List<JobRequest> jobs = jobs(fleet, "catalog", count, receiver);
      fleet.submitTogether(jobs);

      await().atMost(Duration.ofSeconds(90)).until(() -> fleet.terminalEvents().size() == count);
      Set<String> eventIds =
          fleet.terminalEvents().values().stream()
              .map(list -> list.get(0).eventId())
              .collect(Collectors.toSet());
      // Every callback owed, and attempted at least once, by the doomed worker.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  receiver.requests().stream()
                      .map(r -> r.header("webhook-id"))
                      .collect(Collectors.toSet())
                      .containsAll(eventIds));
      doomed.destroyForcibly(); // SIGKILL: whatever it held in memory is gone
      doomed.waitFor(10, TimeUnit.SECONDS);
      int beforeKill = raw.get();
      open.countDown();
      fleet.startWorker("survivor", settings);

      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  outcomes(delivered).stream()
                          .filter(d -> d.status() == CallbackDelivery.Status.DELIVERED)
                          .count()
                      >= count);
      assertThat(accepted.keySet()).isEqualTo(eventIds);
      assertThat(accepted.values()).allMatch(n -> n.get() == 1);
      List<CallbackDelivery> ends = outcomes(delivered);
      assertThat(ends).allMatch(d -> d.status() == CallbackDelivery.Status.DELIVERED);
      assertThat(ends).allMatch(d -> d.workerId().equals("survivor"));
      // The schedule went on where the doomed worker left it: attempts count across workers.
      assertThat(ends).allMatch(d -> d.attempts() >= 2);
      System.out.printf(
          "killed-worker callbacks: %d jobs, %d raw requests (%d before the kill), %d accepted"
              + " once each, %d outcome records%n",
          count, raw.get(), beforeKill, accepted.size(), ends.size());
    } finally {
      open.countDown();
    }
  }

  @Test
  void aTarpitReceiverOfOneTenantDelaysOnlyThatTenantsCallbacks() throws Exception {
    int count = 10;
    CountDownLatch release = new CountDownLatch(1);
    try (TestFleet fleet = new TestFleet(simulator);
        Receiver tarpit = Receiver.http("127.0.0.1", 0);
        Receiver normal = Receiver.http("127.0.0.1", 0);
        TestFleet.Collector delivered =
            new TestFleet.Collector(
                fleet.bootstrapServers(), fleet.callbacksTopic(), TestFleet.PARTITIONS)) {
      tarpit.answering(
          r -> {
            try {
              release.await(60, TimeUnit.SECONDS); // holds every request past the timeout
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Receiver.Answer.status(200);
          });
      normal.answering(r -> Receiver.Answer.status(204));
      fleet.startWorker(
          "worker-1",
          callbacks(
              Map.of(
                  // Longer than the test: a catalog callback queued behind the tarpit's never goes.
                  "callbacks.timeout", "5m",
                  "callbacks.threads", "4",
                  "callbacks.tenant-concurrency", "2",
                  "callbacks.retry-schedule", "1s,1s,1s")));
      // The tarpit tenant's jobs first, so that its deliveries are owed before the others'.
      fleet.submitTogether(jobs(fleet, "tarpit", count, tarpit));
      await().atMost(Duration.ofSeconds(60)).until(() -> !tarpit.requests().isEmpty());
      fleet.submitTogether(jobs(fleet, "catalog", count, normal));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  outcomes(delivered).stream().filter(d -> d.tenant().equals("catalog")).count()
                      == count);
      Map<String, StatusEvent> ends = new HashMap<>();
      fleet.terminalEvents().forEach((id, list) -> ends.put(id, list.get(0)));
      List<Duration> lags = new ArrayList<>();
      for (CallbackDelivery d : outcomes(delivered)) {
        if (d.tenant().equals("catalog")) {
          assertThat(d.status()).isEqualTo(CallbackDelivery.Status.DELIVERED);
          assertThat(d.attempts()).isEqualTo(1);
          lags.add(Duration.between(ends.get(d.jobId()).occurredAt(), d.occurredAt()));
        }
      }
      Duration worst = lags.stream().max(Duration::compareTo).orElseThrow();
      // Behind one shared queue, the catalog's callbacks would wait for the tarpit's attempts,
      // each held until its timeout, after the wait above; in their own lane they go at once.
      assertThat(normal.requests()).hasSize(count);
      // The tarpit's deliveries are still owed: held at most two at a time.
      assertThat(
              outcomes(delivered).stream()
                  .filter(d -> d.tenant().equals("tarpit"))
                  .filter(d -> d.status() == CallbackDelivery.Status.DELIVERED))
          .isEmpty();
      System.out.printf(
          "tarpit isolation: %d catalog callbacks, worst lag after the job's end %d ms, tarpit"
              + " requests so far %d (at %s)%n",
          count, worst.toMillis(), tarpit.requests().size(), Instant.now());
      release.countDown(); // before the worker stops: no attempt is left waiting for its timeout
    } finally {
      release.countDown();
    }
  }
}
