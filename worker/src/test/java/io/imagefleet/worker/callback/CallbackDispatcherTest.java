package io.imagefleet.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.callback.Receiver.Answer;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Callback delivery against real HTTP(S) receivers on loopback addresses. The outcome records go to
 * a {@link MockProducer} here; {@code CallbackIT} proves the same through a worker and a real
 * broker.
 */
class CallbackDispatcherTest {
  private static final String SECRET = "whsec-catalog-0123456789abcdef";
  private static TestCertificates certificates;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, CompletableFuture<CallbackDelivery>> deliveries =
      new ConcurrentHashMap<>();
  private CallbackDispatcher dispatcher;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = TestCertificates.create();
  }

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    scheduler.shutdownNow();
  }

  private static WorkerConfig config(boolean allowPrivate, Map<String, String> extra) {
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                "kafka.bootstrap.servers", "broker:9092",
                "upstream.base-url", "https://api.example.com",
                "upstream.api-key", "sk-test-123"));
    values.put("callbacks.secret.catalog", SECRET);
    values.put("callbacks.allow-private-destinations", String.valueOf(allowPrivate));
    values.put("callbacks.retry-schedule", "50ms,100ms,200ms");
    values.put("callbacks.timeout", "2s");
    values.put("callbacks.trust-store", certificates.trustStore().toString());
    values.put("callbacks.trust-store-password", TestCertificates.PASSWORD);
    values.putAll(extra);
    return ConfigLoader.fromMap(values, Map.of());
  }

  private CallbackDispatcher start(WorkerConfig config) {
    dispatcher =
        new CallbackDispatcher(config.callbacks(), "worker-t", scheduler, Clock.systemUTC());
    return dispatcher;
  }

  private CallbackDispatcher start(
      WorkerConfig config, DestinationCheck.Resolver resolver, Predicate<InetAddress> forbidden) {
    dispatcher =
        new CallbackDispatcher(
            config.callbacks(), "worker-t", scheduler, Clock.systemUTC(), resolver, forbidden);
    return dispatcher;
  }

  private static JobRequest job(String tenant, String callbackUrl) {
    return JobRequest.builder(
            "job-" + UUID.randomUUID().toString().substring(0, 8), tenant, "a chair")
        .callbackUrl(callbackUrl)
        .build();
  }

  private static StatusEvent terminal(JobRequest job) {
    return new StatusEvent(
        1,
        UUID.randomUUID().toString(),
        job.jobId(),
        job.tenant(),
        JobStatus.SUCCEEDED,
        1,
        "gpt-image-1.5",
        null,
        "task-1",
        100,
        List.of(),
        null,
        new BigDecimal("0.0123"),
        null,
        null,
        null,
        null,
        Map.of("sku", "SKU-1"),
        Instant.now(),
        "worker-t");
  }

  private void deliver(JobRequest job, StatusEvent event) {
    deliveries.put(job.jobId(), DirectDelivery.deliver(dispatcher, job, event));
  }

  private CallbackDelivery outcome(JobRequest job) {
    try {
      return deliveries.get(job.jobId()).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static CallbackDelivery read(byte[] json) {
    try {
      return Json.mapper().readValue(json, CallbackDelivery.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---- signing
  // ------------------------------------------------------------------------------------

  @Test
  void aReceiverVerifiesTheSignatureOverTimestampAndBody() throws Exception {
    try (Receiver receiver = Receiver.https("127.0.0.1", 0, certificates)) {
      start(config(true, Map.of("callbacks.resolve." + TestCertificates.HOST, "127.0.0.1")));
      JobRequest job =
          job(
              "catalog",
              "https://" + TestCertificates.HOST + ":" + receiver.port() + "/hooks/img?token=t0p");
      StatusEvent event = terminal(job);
      deliver(job, event);

      CallbackDelivery delivery = outcome(job);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.DELIVERED);
      assertThat(delivery.httpStatus()).isEqualTo(204);
      assertThat(delivery.attempts()).isEqualTo(1);
      assertThat(delivery.url())
          .isEqualTo("https://" + TestCertificates.HOST + ":" + receiver.port() + "/hooks/img");
      assertThat(delivery.eventId()).isEqualTo(event.eventId());

      Receiver.Request request = receiver.requests().get(0);
      assertThat(request.signedWith(SECRET)).isTrue();
      assertThat(request.signedWith("some-other-secret-000000")).isFalse();
      assertThat(Long.parseLong(request.header("X-Imagefleet-Timestamp")))
          .isCloseTo(Instant.now().getEpochSecond(), Offset.offset(60L));
      assertThat(request.header("X-Imagefleet-Event-Id")).isEqualTo(event.eventId());
      assertThat(request.header("Content-Type")).isEqualTo("application/json");
      assertThat(request.host()).isEqualTo(TestCertificates.HOST + ":" + receiver.port());
      assertThat(request.path()).isEqualTo("/hooks/img?token=t0p");
      assertThat(JobCodec.decodeEvent(request.body())).isEqualTo(event);
      assertThat(Json.mapper().writeValueAsString(delivery)).doesNotContain(SECRET, "t0p");
    }
  }

  @Test
  void refusesWithoutASecretForTheTenant() throws Exception {
    try (Receiver receiver = Receiver.http("127.0.0.1", 0)) {
      start(config(true, Map.of()));
      JobRequest job = job("unknown-team", "http://127.0.0.1:" + receiver.port() + "/x");
      deliver(job, terminal(job));

      CallbackDelivery delivery = outcome(job);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.REFUSED);
      assertThat(delivery.error()).contains("no callback secret").contains("unknown-team");
      assertThat(receiver.requests()).isEmpty();
    }
  }

  // ---- refused destinations
  // -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://127.0.0.1:8443/hook"
      })
  void refusesLoopbackPrivateAndMetadataDestinations(String url) {
    start(config(false, Map.of()));
    JobRequest job = job("catalog", url);
    deliver(job, terminal(job));

    CallbackDelivery delivery = outcome(job);
    assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.REFUSED);
    assertThat(delivery.attempts()).isZero();
    assertThat(delivery.httpStatus()).isNull();
    assertThat(delivery.error()).contains("loopback, private, link-local or metadata");
  }

  @Test
  void refusesCallbackToLoopbackAfterDnsResolution() throws Exception {
    try (Receiver receiver = Receiver.https("127.0.0.1", 0, certificates)) {
      start(
          config(false, Map.of()),
          host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")},
          DestinationCheck.privateAddresses());
      JobRequest job = job("catalog", "https://hooks.example.com:" + receiver.port() + "/x");
      deliver(job, terminal(job));

      CallbackDelivery delivery = outcome(job);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.REFUSED);
      assertThat(delivery.error()).contains("hooks.example.com resolves to 127.0.0.1");
      assertThat(receiver.requests()).isEmpty();
    }
  }

  @Test
  void refusesANameWhenAnyOfItsAddressesIsPrivate() {
    // A rebinding name answers a public address and a private one; no answer is tried, so none is
    // contacted.
    start(
        config(false, Map.of()),
        host ->
            new InetAddress[] {
              InetAddress.getByName("203.0.113.10"), InetAddress.getByName("169.254.169.254")
            },
        DestinationCheck.privateAddresses());
    JobRequest job = job("catalog", "https://rebind.example.com/x");
    deliver(job, terminal(job));

    CallbackDelivery delivery = outcome(job);
    assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.REFUSED);
    assertThat(delivery.error()).contains("169.254.169.254");
  }

  @Test
  void refusesAHostNameFixedToLoopbackInConfigurationUnlessPrivateDestinationsAreAllowed() {
    start(config(false, Map.of("callbacks.resolve.hooks.example.com", "127.0.0.1")));
    JobRequest job = job("catalog", "https://hooks.example.com/x");
    deliver(job, terminal(job));
    assertThat(outcome(job).status()).isEqualTo(CallbackDelivery.Status.REFUSED);
  }

  @Test
  void connectsToTheVettedAddressEvenWhenTheNameIsRepointedAfterTheCheck() throws Exception {
    try (Receiver vetted = Receiver.https("127.0.0.2", 0, certificates);
        Receiver rebound = Receiver.https("127.0.0.1", vetted.port(), certificates)) {
      AtomicInteger lookups = new AtomicInteger();
      // The first answer is allowed; any later answer points at an address the policy forbids.
      DestinationCheck.Resolver dns =
          host ->
              new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.2" : "127.0.0.1")
              };
      start(config(false, Map.of()), dns, address -> address.getHostAddress().equals("127.0.0.1"));
      JobRequest job =
          job("catalog", "https://" + TestCertificates.HOST + ":" + vetted.port() + "/x");
      deliver(job, terminal(job));

      assertThat(outcome(job).status()).isEqualTo(CallbackDelivery.Status.DELIVERED);
      assertThat(vetted.requests()).hasSize(1);
      assertThat(rebound.requests()).isEmpty();
      assertThat(lookups.get()).isEqualTo(1);
    }
  }

  // ---- nothing vanishes
  // -------------------------------------------------------------------------------

  /**
   * TLS cannot name a host that ends in a dot; validation refuses such URLs, and the sender records
   * it.
   */
  @Test
  void recordsADeliveryWhoseRequestCannotBeBuiltAsFailed() throws Exception {
    try (Receiver receiver = Receiver.https("127.0.0.1", 0, certificates)) {
      start(
          config(false, Map.of()),
          host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")},
          address -> false);
      JobRequest job = job("catalog", "https://hooks.example.com.:" + receiver.port() + "/x");
      deliver(job, terminal(job));

      CallbackDelivery delivery = outcome(job);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.FAILED);
      assertThat(delivery.error())
          .contains("could not be built or sent", "IllegalArgumentException");
      assertThat(receiver.requests()).isEmpty();
    }
  }

  @Test
  void recordsADeliveryWhoseAttemptThrowsAsFailed() {
    start(
        config(false, Map.of()),
        host -> {
          throw new IllegalStateException("resolver broke");
        },
        DestinationCheck.privateAddresses());
    JobRequest job = job("catalog", "https://hooks.example.com/x");
    deliver(job, terminal(job));

    CallbackDelivery delivery = outcome(job);
    assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.FAILED);
    assertThat(delivery.error()).contains("IllegalStateException");
  }

  // ---- answers
  // --------------------------------------------------------------------------------------

  @Test
  void doesNotFollowARedirectToAPrivateAddress() throws Exception {
    try (Receiver receiver = Receiver.http("127.0.0.1", 0)) {
      receiver.answering(r -> new Answer(302, Map.of("Location", "http://10.0.0.1/steal"), 0));
      start(config(true, Map.of()));
      JobRequest job = job("catalog", "http://127.0.0.1:" + receiver.port() + "/x");
      deliver(job, terminal(job));

      CallbackDelivery delivery = outcome(job);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.FAILED);
      assertThat(delivery.httpStatus()).isEqualTo(302);
      assertThat(delivery.attempts()).isEqualTo(1);
      assertThat(delivery.error())
          .contains("redirects are not followed")
          .doesNotContain("10.0.0.1");
      assertThat(receiver.requests()).hasSize(1);
    }
  }

  @Test
  void retriesTransientAnswersWithBackoffThenDelivers() throws Exception {
    try (Receiver receiver = Receiver.http("127.0.0.1", 0)) {
      AtomicInteger calls = new AtomicInteger();
      receiver.answering(r -> Answer.status(calls.incrementAndGet() < 3 ? 503 : 200));
      start(config(true, Map.of()));
      JobRequest job = job("catalog", "http://127.0.0.1:" + receiver.port() + "/x");
      deliver(job, terminal(job));

      CallbackDelivery delivery = outcome(job);
      assertThat(delivery.status()).isEqualTo(CallbackDelivery.Status.DELIVERED);
      assertThat(delivery.attempts()).isEqualTo(3);
      assertThat(receiver.requests())
          .extracting(r -> r.header("X-Imagefleet-Delivery-Attempt"))
          .containsExactly("1", "2", "3");
      for (Receiver.Request request : receiver.requests()) {
        assertThat(request.signedWith(SECRET)).isTrue();
      }
    }
  }

  @Test
  void givesUpAfterTheLastAttemptAndDoesNotRetryAClientError() throws Exception {
    try (Receiver failing = Receiver.http("127.0.0.1", 0);
        Receiver refusing = Receiver.http("127.0.0.1", 0)) {
      failing.answering(r -> Answer.status(500));
      refusing.answering(r -> Answer.status(404));
      start(config(true, Map.of("callbacks.retry-schedule", "50ms,100ms")));
      JobRequest first = job("catalog", "http://127.0.0.1:" + failing.port() + "/x");
      JobRequest second = job("catalog", "http://127.0.0.1:" + refusing.port() + "/x");
      deliver(first, terminal(first));
      deliver(second, terminal(second));

      assertThat(outcome(first))
          .extracting(
              CallbackDelivery::status, CallbackDelivery::attempts, CallbackDelivery::httpStatus)
          .containsExactly(CallbackDelivery.Status.FAILED, 3, 500);
      assertThat(outcome(second))
          .extracting(
              CallbackDelivery::status, CallbackDelivery::attempts, CallbackDelivery::httpStatus)
          .containsExactly(CallbackDelivery.Status.FAILED, 1, 404);
      assertThat(failing.requests()).hasSize(3);
    }
  }

  @Test
  void endsAnAttemptAtTheTimeoutAndReadsABoundedAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Receiver slow = Receiver.http("127.0.0.1", 0);
        Receiver chatty = Receiver.http("127.0.0.1", 0)) {
      slow.answering(
          r -> {
            try {
              release.await(
                  30, TimeUnit.SECONDS); // holds the request far past the worker's timeout
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Answer.status(200);
          });
      chatty.answering(r -> new Answer(200, Map.of(), 256L * 1024 * 1024));
      start(
          config(
              true,
              Map.of(
                  "callbacks.timeout",
                  "500ms",
                  "callbacks.retry-schedule",
                  "",
                  "callbacks.max-response-bytes",
                  "1024")));
      JobRequest hung = job("catalog", "http://127.0.0.1:" + slow.port() + "/x");
      JobRequest big = job("catalog", "http://127.0.0.1:" + chatty.port() + "/x");
      long started = System.nanoTime();
      deliver(hung, terminal(hung));
      deliver(big, terminal(big));

      CallbackDelivery timedOut = outcome(hung);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(timedOut.status()).isEqualTo(CallbackDelivery.Status.FAILED);
      assertThat(timedOut.error()).contains("no answer");
      assertThat(outcome(big).status()).isEqualTo(CallbackDelivery.Status.DELIVERED);
      // The worker hung up after reading its bound: the receiver could not send its 256 MB.
      await().atMost(Duration.ofSeconds(20)).until(() -> !chatty.writeErrors().isEmpty());
    } finally {
      release.countDown();
    }
  }
}
