package io.imagefleet.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.worker.config.OpsSettings;
import io.imagefleet.worker.config.Secret;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final AtomicReference<Optional<String>> spending =
      new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<String>> broker = new AtomicReference<>(Optional.empty());
  private final AtomicBoolean intakeRunning = new AtomicBoolean(true);
  private final Health health =
      new Health(intakeRunning::get, List.of(() -> broker.get(), () -> spending.get()));
  private final WorkerMetrics metrics =
      new WorkerMetrics("w-1", new WorkerGauges(() -> 4, () -> 2, intakeRunning::get));
  private final OpsServer server = server(settings(0, Optional.empty()));
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  OpsServerTest() {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void probesAnswerPromptlyWhileAClientSitsOnHalfARequestLine() throws Exception {
    try (Socket silent = new Socket("127.0.0.1", server.port());
        Socket halfSent = new Socket("127.0.0.1", server.port())) {
      halfSent.getOutputStream().write("GET /health/li".getBytes(StandardCharsets.US_ASCII));
      halfSent.getOutputStream().flush();
      for (int i = 0; i < 10; i++) {
        assertThat(getWithin("/health/live", Duration.ofSeconds(1)).statusCode()).isEqualTo(200);
        assertThat(getWithin("/health/ready", Duration.ofSeconds(1)).statusCode()).isEqualTo(200);
      }
      assertThat(silent.isClosed()).isFalse();
    }
  }

  @Test
  void dropsAConnectionThatStaysSilentPastTheReadTimeout() throws Exception {
    try (OpsServer quick =
            server(
                new OpsSettings(
                    0,
                    "127.0.0.1",
                    Optional.empty(),
                    Duration.ofSeconds(10),
                    "w",
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(3),
                    Duration.ofMillis(300),
                    Optional.empty()));
        Socket halfSent = new Socket("127.0.0.1", quickStart(quick))) {
      halfSent.getOutputStream().write("GET /health/li".getBytes(StandardCharsets.US_ASCII));
      InputStream in = halfSent.getInputStream();
      halfSent.setSoTimeout(5_000);
      // The server closes it: the read ends (EOF, or whatever answer Jetty sends before closing).
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> in.read(new byte[4096]) == -1);
    }
  }

  @Test
  void metricsAndStatusNeedTheTokenWhenOneIsSetButProbesDoNot() throws Exception {
    try (OpsServer guarded = server(settings(0, Optional.of(Secret.of("s3cret-ops-token"))))) {
      int port = quickStart(guarded);
      assertThat(get(port, "/metrics", null).statusCode()).isEqualTo(401);
      assertThat(get(port, "/status", null).statusCode()).isEqualTo(401);
      HttpResponse<String> wrong = get(port, "/metrics", "Bearer s3cret-ops-tokeN");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(wrong.body()).doesNotContain("s3cret-ops-token");
      assertThat(get(port, "/metrics", "Bearer s3cret-ops-token").statusCode()).isEqualTo(200);
      assertThat(get(port, "/status", "Bearer s3cret-ops-token").statusCode()).isEqualTo(200);
      assertThat(get(port, "/health/live", null).statusCode()).isEqualTo(200);
      assertThat(get(port, "/health/ready", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void listensOnLoopbackByDefault() throws Exception {
    assertThat(OpsSettings.defaults().bind()).isEqualTo("127.0.0.1");
    try (OpsServer byDefault = server(settings(0, Optional.empty()))) {
      int port = quickStart(byDefault);
      assertThat(get(port, "/health/live", null).statusCode()).isEqualTo(200);
      InetAddress other = nonLoopbackAddress();
      if (other != null) {
        assertThatThrownBy(() -> new Socket(other, port).close())
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void answersHeadWithoutABody() throws Exception {
    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(url("/health/live"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void readinessFlipsWhenSpendingStopsAndSaysWhy() throws Exception {
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);

    spending.set(
        Optional.of(
            "spending stopped: route gpt-image-1.5 answered insufficient_quota (HTTP 402)"));
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(notReady.body())
        .isEqualTo(
            "{\"status\":\"DOWN\",\"reasons\":[\"spending stopped: route gpt-image-1.5 answered"
                + " insufficient_quota (HTTP 402)\"]}");

    spending.set(Optional.empty());
    assertThat(get("/health/ready").body()).isEqualTo("{\"status\":\"UP\"}");
  }

  @Test
  void readinessGivesEveryReasonAtOnce() throws Exception {
    broker.set(Optional.of("Kafka unreachable at b:9092: no answer within 3000 ms"));
    spending.set(Optional.of("spending stopped: unauthorized"));
    assertThat(get("/health/ready").body())
        .contains("Kafka unreachable at b:9092")
        .contains("spending stopped: unauthorized");
  }

  @Test
  void livenessFollowsTheIntakeLoopButNotTheBroker() throws Exception {
    broker.set(Optional.of("Kafka unreachable"));
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    intakeRunning.set(false);
    HttpResponse<String> dead = get("/health/live");
    assertThat(dead.statusCode()).isEqualTo(503);
    assertThat(dead.body()).contains(Health.INTAKE_STOPPED);
  }

  @Test
  void aStoppingWorkerIsLiveButNotReady() throws Exception {
    health.stopping();
    intakeRunning.set(false);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").body()).contains(Health.STOPPING);
  }

  @Test
  void servesPrometheusText() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue(WorkerMetrics.PROMETHEUS_TEXT);
    assertThat(response.body())
        .contains("# TYPE imagefleet_jobs_in_flight gauge")
        .contains("imagefleet_jobs_in_flight{worker=\"w-1\"} 4");
  }

  @Test
  void servesOpenMetricsToAScraperThatAsksForIt() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(url("/metrics"))
            .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5")
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type")).hasValue(WorkerMetrics.OPENMETRICS);
    assertThat(response.body())
        .contains("imagefleet_jobs_in_flight{worker=\"w-1\"} 4")
        .endsWith("# EOF\n");
  }

  @Test
  void servesTheStatusAsJson() throws Exception {
    spending.set(Optional.of("spending stopped: unauthorized"));
    HttpResponse<String> response = get("/status");
    assertThat(response.statusCode()).isEqualTo(200);
    WorkerStatus status = WorkerStatus.fromJson(response.body().getBytes());
    assertThat(status.workerId()).isEqualTo("w-1");
    assertThat(status.inFlight()).isEqualTo(4);
    assertThat(status.breakers()).containsEntry("gpt-image-1.5", "CLOSED");
    assertThat(status.ready()).isFalse();
    assertThat(status.notReadyReasons()).containsExactly("spending stopped: unauthorized");
    assertThat(status.tenantsInFlight()).isEqualTo(Map.of("_shared", 1, "team-a", 3));
    assertThat(status.tenantsWaiting()).isEqualTo(Map.of("team-a", 20));
    assertThat(response.body()).contains("\"worker_id\":\"w-1\"").contains("\"in_flight\":4");
  }

  @Test
  void answersUnknownPathsWith404AndOtherMethodsWith405() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(url("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void namesTheKeysWhenThePortIsTaken() {
    assertThatThrownBy(() -> server(settings(server.port(), Optional.empty())))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("the ops endpoint cannot listen on 127.0.0.1:" + server.port())
        .hasMessageContaining("set ops.port=0 (a free port) or another port");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> getWithin(String path, Duration timeout) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url(path)).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private OpsServer server(OpsSettings settings) {
    return new OpsServer(
        settings,
        metrics::scrape,
        health,
        () ->
            new WorkerStatus(
                "w-1",
                "http://w-1:9400",
                4,
                512,
                2,
                Map.of("gpt-image-1.5", "CLOSED"),
                List.of(),
                health.notReadyReasons().isEmpty(),
                health.notReadyReasons(),
                Instant.EPOCH,
                Instant.EPOCH,
                Map.of("team-a", 3, "_shared", 1),
                Map.of("team-a", 20)));
  }

  /** The defaults (loopback bind among them) on another port, with a token or none. */
  private static OpsSettings settings(int port, Optional<Secret> token) {
    OpsSettings d = OpsSettings.defaults();
    return new OpsSettings(
        port,
        d.bind(),
        d.advertisedUrl(),
        d.heartbeatInterval(),
        d.workersTopic(),
        d.probeInterval(),
        d.probeTimeout(),
        d.readTimeout(),
        token);
  }

  private static boolean isUpAndNotLoopback(NetworkInterface i) {
    try {
      return i.isUp() && !i.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  private static int quickStart(OpsServer s) {
    s.start();
    return s.port();
  }

  /** An address of this host that is not loopback, or null if it has none (a bare container). */
  private static InetAddress nonLoopbackAddress() throws Exception {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(OpsServerTest::isUpAndNotLoopback)
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst()
        .orElse(null);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
