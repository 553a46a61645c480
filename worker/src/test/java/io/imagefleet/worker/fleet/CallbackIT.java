package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.callback.Receiver;
import io.imagefleet.worker.callback.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signed callbacks from a worker on the real broker to an HTTPS receiver on this machine. */
class CallbackIT {
  private static final String SECRET = "whsec-catalog-fleet-0123456789";
  private static UpstreamSimulator simulator;
  private static TestCertificates certificates;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(300)))
                .build());
    certificates = TestCertificates.create();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static Map<String, String> callbackSettings(boolean allowPrivate) {
    Map<String, String> values = new HashMap<>();
    values.put("callbacks.secret.catalog", SECRET);
    values.put("callbacks.allow-private-destinations", String.valueOf(allowPrivate));
    // hooks.imagefleet.test names the receiver on this machine, as DNS would name a real one.
    values.put("callbacks.resolve." + TestCertificates.HOST, "127.0.0.1");
    values.put("callbacks.trust-store", certificates.trustStore().toString());
    values.put("callbacks.trust-store-password", TestCertificates.PASSWORD);
    return values;
  }

  private static List<CallbackDelivery> deliveries(TestFleet.Collector collector) {
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
  void postsTheSignedTerminalEventAfterTheJobHasEndedAndRecordsTheDelivery() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TestFleet fleet = new TestFleet(simulator);
        Receiver receiver = Receiver.https("127.0.0.1", 0, certificates);
        TestFleet.Collector outcomes =
            new TestFleet.Collector(
                fleet.bootstrapServers(), fleet.callbacksTopic(), TestFleet.PARTITIONS)) {
      receiver.answering(
          r -> {
            try {
              release.await(
                  30, TimeUnit.SECONDS); // a slow receiver: the job's ending must not wait for it
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Receiver.Answer.status(200);
          });
      fleet.startWorker("worker-1", callbackSettings(true));
      JobRequest job =
          JobRequest.builder("callback-1", "catalog", "a vase " + fleet.jobsTopic())
              .callbackUrl(
                  "https://"
                      + TestCertificates.HOST
                      + ":"
                      + receiver.port()
                      + "/imagefleet?team=catalog")
              .build();
      fleet.submit(job);

      await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.requests().isEmpty());
      // The receiver holds the request: the job has already ended, and no outcome is recorded yet.
      assertThat(fleet.terminalEvents()).containsKey(job.jobId());
      StatusEvent end = fleet.terminalEvents().get(job.jobId()).get(0);
      assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(deliveries(outcomes)).isEmpty();

      Receiver.Request request = receiver.requests().get(0);
      assertThat(request.signedWith(SECRET)).isTrue();
      assertThat(JobCodec.decodeEvent(request.body())).isEqualTo(end);

      release.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries(outcomes).isEmpty());
      CallbackDelivery delivery = deliveries(outcomes).get(0);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.DELIVERED);
      assertThat(delivery.httpStatus()).isEqualTo(200);
      assertThat(delivery.jobId()).isEqualTo(job.jobId());
      assertThat(delivery.eventId()).isEqualTo(end.eventId());
      assertThat(delivery.workerId()).isEqualTo("worker-1");
      assertThat(delivery.url())
          .isEqualTo("https://" + TestCertificates.HOST + ":" + receiver.port() + "/imagefleet");
      assertThat(outcomes.records().get(0).key())
          .isEqualTo(job.jobId().getBytes(StandardCharsets.UTF_8));
    } finally {
      release.countDown();
    }
  }

  @Test
  void refusesAHostThatResolvesToLoopbackAndTheJobStillSucceeds() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator);
        Receiver receiver = Receiver.https("127.0.0.1", 0, certificates);
        TestFleet.Collector outcomes =
            new TestFleet.Collector(
                fleet.bootstrapServers(), fleet.callbacksTopic(), TestFleet.PARTITIONS)) {
      fleet.startWorker("worker-1", callbackSettings(false));
      JobRequest job =
          JobRequest.builder("callback-2", "catalog", "a bowl " + fleet.jobsTopic())
              .callbackUrl(
                  "https://" + TestCertificates.HOST + ":" + receiver.port() + "/imagefleet")
              .build();
      fleet.submit(job);

      await().atMost(Duration.ofSeconds(60)).until(() -> !deliveries(outcomes).isEmpty());
      CallbackDelivery delivery = deliveries(outcomes).get(0);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.REFUSED);
      assertThat(delivery.attempts()).isZero();
      assertThat(delivery.error()).contains(TestCertificates.HOST + " resolves to 127.0.0.1");
      assertThat(fleet.terminalEvents().get(job.jobId()))
          .singleElement()
          .extracting(StatusEvent::status)
          .isEqualTo(JobStatus.SUCCEEDED);
      assertThat(receiver.requests()).isEmpty();
    }
  }
}
