package io.imagefleet.worker.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.imagefleet.contracts.Json;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.config.Secret;
import io.imagefleet.worker.config.UpstreamSettings;
import io.imagefleet.worker.config.UpstreamSettings.UnconfirmedSubmission;
import io.imagefleet.worker.upstream.UpstreamClient.Download;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upstream client against the simulator: every answer, and every missing one, becomes an
 * outcome.
 */
class HttpUpstreamClientIT {
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSimulator() throws Exception {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ZERO))
                .build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @Test
  void createsPollsAndDownloadsATask() {
    try (HttpUpstreamClient client =
        client(simulator.baseUrl(), simulator.apiKey(), Duration.ofSeconds(10), 4)) {
      UpstreamTask created = success(client.create(request("a lighthouse at dusk")).join());
      assertThat(created.id()).isNotBlank();

      AtomicReference<UpstreamTask> polled = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                polled.set(success(client.query(created.id()).join()));
                return polled.get().state().isDone();
              });
      UpstreamTask done = polled.get();
      assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
      assertThat(done.results()).hasSize(1);
      assertThat(done.usage()).isNotNull();

      Download image = success(client.download(URI.create(done.results().get(0))).join());
      assertThat(image.contentType()).isEqualTo("image/png");
      assertThat(image.body()).startsWith(0x89, 'P', 'N', 'G');
    }
  }

  @Test
  void moreCallsThanConnectionsWaitForAFreeConnectionInsteadOfFailing() {
    try (HttpUpstreamClient client =
        client(simulator.baseUrl(), simulator.apiKey(), Duration.ofSeconds(10), 2)) {
      List<CompletableFuture<UpstreamOutcome<UpstreamTask>>> calls =
          IntStream.range(0, 40)
              .mapToObj(i -> client.create(request("a chair, variant " + i)))
              .toList();

      assertThat(calls).allSatisfy(call -> assertThat(call.join()).isInstanceOf(Success.class));
    }
  }

  @Test
  void aRefusedKeyIsStopSpendingWithItsStatusNotAnError() {
    try (HttpUpstreamClient client =
        client(simulator.baseUrl(), "sk-not-the-key", Duration.ofSeconds(10), 4)) {
      Failure<UpstreamTask> refused = failure(client.create(request("a chair")).join());

      assertThat(refused.kind()).isEqualTo(FailureKind.STOP_SPENDING);
      assertThat(refused.httpStatus()).isEqualTo(401);
    }
  }

  @Test
  void aFaultAnswerKeepsItsCodeAndRetryAfter() {
    try (HttpUpstreamClient client =
        client(simulator.baseUrl(), simulator.apiKey(), Duration.ofSeconds(10), 4)) {
      Failure<UpstreamTask> limited =
          failure(client.create(request("a chair [sim:create=429,retry-after=7]")).join());

      assertThat(limited.kind()).isEqualTo(FailureKind.THROTTLED);
      assertThat(limited.httpStatus()).isEqualTo(429);
      assertThat(limited.code()).isEqualTo("rate_limit_exceeded");
      assertThat(limited.retryAfter()).contains(Duration.ofSeconds(7));
    }
  }

  @Test
  void aHungCallEndsAsATimeoutWhoseAnswerMayBeLost() {
    try (HttpUpstreamClient client =
        client(simulator.baseUrl(), simulator.apiKey(), Duration.ofMillis(500), 4)) {
      long started = System.nanoTime();
      Failure<UpstreamTask> hung =
          failure(client.create(request("a chair [sim:create=hang]")).join());

      assertThat(hung.code()).isEqualTo("timeout");
      assertThat(OutcomeClassifier.answerLost(hung)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aPortNobodyListensOnIsAFailedConnectionThatReachedNothing() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (HttpUpstreamClient client =
        client(URI.create("http://127.0.0.1:" + closedPort), "sk-any", Duration.ofSeconds(5), 4)) {
      Failure<UpstreamTask> refused = failure(client.create(request("a chair")).join());

      assertThat(refused.code()).isEqualTo("connect_failed");
      assertThat(OutcomeClassifier.answerLost(refused)).isFalse();
    }
  }

  /** The contract's reference_image_urls reach the gateway under its own name, image_urls. */
  @Test
  void sendsReferenceImagesAsTheGatewaysImageUrls() throws Exception {
    CompletableFuture<String> body = new CompletableFuture<>();
    HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext(
        "/",
        exchange -> {
          body.complete(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
          exchange.sendResponseHeaders(400, -1);
          exchange.close();
        });
    gateway.start();
    List<String> references =
        List.of("https://assets.example.com/ref/a.png", "https://assets.example.com/ref/b.webp");
    try (HttpUpstreamClient client =
        client(
            URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()),
            "sk-test",
            Duration.ofSeconds(5),
            1)) {
      client
          .create(new CreateTaskRequest("gpt-image-1.5", "a chair", "1:1", "low", 1, references))
          .join();
      JsonNode sent = Json.mapper().readTree(body.get(5, TimeUnit.SECONDS));
      assertThat(sent.path("image_urls").isArray()).isTrue();
      assertThat(sent.path("image_urls"))
          .extracting(JsonNode::asText)
          .containsExactlyElementsOf(references);
      assertThat(sent.has("reference_image_urls")).isFalse();
    } finally {
      gateway.stop(0);
    }
  }

  private static HttpUpstreamClient client(
      URI baseUrl, String apiKey, Duration timeout, int maxConnections) {
    return new HttpUpstreamClient(
        new UpstreamSettings(
            baseUrl,
            Secret.of(apiKey),
            Duration.ofSeconds(2),
            timeout,
            timeout,
            2,
            maxConnections,
            100,
            UnconfirmedSubmission.RESUBMIT,
            UpstreamSettings.DEFAULT_MAX_DOWNLOAD_BYTES,
            4,
            true)); // the simulator's result links are on 127.0.0.1
  }

  private static CreateTaskRequest request(String prompt) {
    return new CreateTaskRequest("gpt-image-1.5", prompt, "1024x1024", "low", 1, List.of());
  }

  private static <T> T success(UpstreamOutcome<T> outcome) {
    assertThat(outcome).isInstanceOf(Success.class);
    return ((Success<T>) outcome).value();
  }

  private static <T> Failure<T> failure(UpstreamOutcome<T> outcome) {
    assertThat(outcome).isInstanceOf(Failure.class);
    return (Failure<T>) outcome;
  }
}
