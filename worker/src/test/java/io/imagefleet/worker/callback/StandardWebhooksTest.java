package io.imagefleet.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.callback.Receiver.Answer;
import io.imagefleet.worker.callback.StandardWebhooksVerifier.Verdict;
import io.imagefleet.worker.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries verified by the published Standard Webhooks library (Node's {@code standardwebhooks}),
 * not by the worker's code: before, during and after a tenant rotates its secret, and for a secret
 * of the earlier scheme.
 */
class StandardWebhooksTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<CallbackDispatcher> dispatchers = new ArrayList<>();

  @AfterEach
  void stop() {
    dispatchers.forEach(CallbackDispatcher::close);
    scheduler.shutdownNow();
  }

  private static String newSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** A worker whose tenant {@code catalog} signs with {@code secrets} (a comma-separated list). */
  private CallbackDispatcher worker(String secrets) {
    return worker(secrets, Map.of());
  }

  private CallbackDispatcher worker(String secrets, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", "broker:9092");
    values.put("upstream.base-url", "https://api.example.com");
    values.put("upstream.api-key", "sk-test-123");
    values.put("callbacks.secret.catalog", secrets);
    values.put("callbacks.allow-private-destinations", "true");
    values.put("callbacks.retry-schedule", "50ms,50ms,50ms");
    values.putAll(extra);
    CallbackDispatcher d =
        new CallbackDispatcher(
            ConfigLoader.fromMap(values, Map.of()).callbacks(),
            "worker-sw",
            scheduler,
            Clock.systemUTC());
    dispatchers.add(d);
    return d;
  }

  /** Sends {@code count} jobs' terminal events and waits until each was answered 2xx. */
  private List<StatusEvent> deliver(CallbackDispatcher worker, Receiver receiver, int count)
      throws Exception {
    List<StatusEvent> events = new ArrayList<>();
    List<CompletableFuture<CallbackDelivery>> deliveries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JobRequest job =
          JobRequest.builder("job-" + UUID.randomUUID(), "catalog", "a lamp")
              .callbackUrl("http://127.0.0.1:" + receiver.port() + "/hooks")
              .build();
      StatusEvent event = terminal(job);
      events.add(event);
      deliveries.add(DirectDelivery.deliver(worker, job, event));
    }
    for (CompletableFuture<CallbackDelivery> d : deliveries) {
      assertThat(d.get(20, TimeUnit.SECONDS).status()).isEqualTo(CallbackDelivery.Status.DELIVERED);
    }
    return events;
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
        null,
        null,
        null,
        null,
        null,
        Map.of("note", "caf\u00e9 \u2615"),
        Instant.now(),
        "worker-sw");
  }

  private static List<Boolean> accepted(List<Verdict> verdicts) {
    return verdicts.stream().map(Verdict::ok).toList();
  }

  @Test
  void aStandardWebhooksVerifierAcceptsEveryDeliveryBeforeDuringAndAfterASecretRotation()
      throws Exception {
    String oldSecret = newSecret();
    String newSecret = newSecret();
    try (Receiver before = Receiver.http("127.0.0.1", 0);
        Receiver during = Receiver.http("127.0.0.1", 0);
        Receiver after = Receiver.http("127.0.0.1", 0)) {
      // During the rotation the first answer is a 503: the retry is signed anew and must verify
      // too.
      AtomicInteger calls = new AtomicInteger();
      during.answering(r -> Answer.status(calls.incrementAndGet() == 1 ? 503 : 200));

      deliver(worker(oldSecret), before, 3);
      List<StatusEvent> rotating = deliver(worker(newSecret + "," + oldSecret), during, 3);
      deliver(worker(newSecret), after, 3);

      assertThat(during.requests()).hasSize(4);
      // A receiver that has not switched yet, and one that already has, both accept every request
      // signed while both secrets are active.
      assertThat(StandardWebhooksVerifier.verify(oldSecret, before.requests()))
          .allMatch(Verdict::ok);
      assertThat(StandardWebhooksVerifier.verify(oldSecret, during.requests()))
          .allMatch(Verdict::ok);
      assertThat(StandardWebhooksVerifier.verify(newSecret, during.requests()))
          .allMatch(Verdict::ok);
      assertThat(StandardWebhooksVerifier.verify(newSecret, after.requests()))
          .allMatch(Verdict::ok);
      // ... and a retired secret no longer verifies, nor does a new one verify what came before.
      assertThat(accepted(StandardWebhooksVerifier.verify(oldSecret, after.requests())))
          .containsOnly(false);
      assertThat(accepted(StandardWebhooksVerifier.verify(newSecret, before.requests())))
          .containsOnly(false);

      // The receiver's deduplication key is the event id, the same on the retry.
      assertThat(during.requests().stream().map(r -> r.header("webhook-id")).distinct())
          .containsExactlyInAnyOrderElementsOf(
              rotating.stream().map(StatusEvent::eventId).toList());
      assertThat(during.requests().get(0).header("webhook-signature").split(" ")).hasSize(2);
    }
  }

  @Test
  void aSecretOfTheEarlierSchemeVerifiesAsWhsecOfItsBytesAndKeepsItsLegacyHeaders()
      throws Exception {
    String legacy = "whsec-catalog-0123456789abcdef";
    try (Receiver receiver = Receiver.http("127.0.0.1", 0)) {
      deliver(worker(legacy), receiver, 2);

      String asStandard =
          "whsec_" + Base64.getEncoder().encodeToString(legacy.getBytes(StandardCharsets.UTF_8));
      assertThat(StandardWebhooksVerifier.verify(asStandard, receiver.requests()))
          .allMatch(Verdict::ok);
      for (Receiver.Request request : receiver.requests()) {
        assertThat(request.signedWith(legacy)).isTrue();
        assertThat(request.header("X-Imagefleet-Event-Id")).isEqualTo(request.header("webhook-id"));
      }
    }
  }

  /** A key pair as {@code whsk_} (the 32-byte private key) and {@code whpk_} (the public key). */
  private static String[] ed25519Pair() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    byte[] spki = pair.getPublic().getEncoded();
    Base64.Encoder b64 = Base64.getEncoder();
    return new String[] {
      "whsk_" + b64.encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)),
      "whpk_" + b64.encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length))
    };
  }

  @Test
  void ed25519KeysAddV1aSignaturesThatThePublicKeyAloneVerifies() throws Exception {
    String secret = newSecret();
    String[] current = ed25519Pair();
    String[] next = ed25519Pair();
    String[] stranger = ed25519Pair();
    try (Receiver receiver = Receiver.http("127.0.0.1", 0)) {
      deliver(
          worker(secret, Map.of("callbacks.ed25519-secret.catalog", next[0] + "," + current[0])),
          receiver,
          2);

      assertThat(StandardWebhooksVerifier.verifyEd25519(current[1], receiver.requests()))
          .allMatch(Verdict::ok);
      assertThat(StandardWebhooksVerifier.verifyEd25519(next[1], receiver.requests()))
          .allMatch(Verdict::ok);
      assertThat(accepted(StandardWebhooksVerifier.verifyEd25519(stranger[1], receiver.requests())))
          .containsOnly(false);
      // The symmetric verifier skips the v1a signatures and still accepts its own.
      assertThat(StandardWebhooksVerifier.verify(secret, receiver.requests()))
          .allMatch(Verdict::ok);
      assertThat(receiver.requests().get(0).header("webhook-signature").split(" "))
          .hasSize(3)
          .filteredOn(s -> s.startsWith("v1a,"))
          .hasSize(2);
    }
  }

  @Test
  void aTamperedBodyOrAnotherIdIsRejectedByTheVerifier() throws Exception {
    String secret = newSecret();
    try (Receiver receiver = Receiver.http("127.0.0.1", 0)) {
      deliver(worker(secret), receiver, 1);
      Receiver.Request r = receiver.requests().get(0);
      Map<String, List<String>> otherId = new HashMap<>(r.headers());
      otherId.keySet().removeIf(k -> k.equalsIgnoreCase("webhook-id"));
      otherId.put("webhook-id", List.of(UUID.randomUUID().toString()));
      List<Receiver.Request> forged =
          List.of(
              new Receiver.Request(
                  r.host(),
                  r.path(),
                  r.headers(),
                  r.bodyText().replace("worker-sw", "worker-zz").getBytes(StandardCharsets.UTF_8)),
              new Receiver.Request(
                  r.host(),
                  r.path(),
                  r.headers(),
                  r.bodyText().replace("SUCCEEDED", "FAILED").getBytes(StandardCharsets.UTF_8)),
              new Receiver.Request(r.host(), r.path(), otherId, r.body()));
      assertThat(accepted(StandardWebhooksVerifier.verify(secret, forged)))
          .containsExactly(false, false, false);
    }
  }
}
