package io.imagefleet.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final AtomicReference<Optional<String>> spending = new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<String>> broker = new AtomicReference<>(Optional.empty());
  private final AtomicBoolean intakeRunning = new AtomicBoolean(true);
  private final Health health = new Health(intakeRunning::get, List.of(() -> broker.get(), () -> spending.get()));
  private final WorkerMetrics metrics = new WorkerMetrics("w-1", new WorkerGauges(() -> 4, () -> 2, intakeRunning::get));
  private final OpsServer server = new OpsServer("127.0.0.1", 0, metrics::scrape, health,
      () -> new WorkerStatus("w-1", "http://w-1:9400", 4, 512, 2, Map.of("gpt-image-1.5", "CLOSED"),
          health.notReadyReasons().isEmpty(), health.notReadyReasons(), Instant.EPOCH, Instant.EPOCH));
  private final HttpClient http = HttpClient.newHttpClient();

  OpsServerTest() {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void readinessFlipsWhenSpendingStopsAndSaysWhy() throws Exception {
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);

    spending.set(Optional.of("spending stopped: route gpt-image-1.5 answered insufficient_quota (HTTP 402)"));
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(notReady.body()).isEqualTo("{\"status\":\"DOWN\",\"reasons\":"
        + "[\"spending stopped: route gpt-image-1.5 answered insufficient_quota (HTTP 402)\"]}");

    spending.set(Optional.empty());
    assertThat(get("/health/ready").body()).isEqualTo("{\"status\":\"UP\"}");
  }

  @Test
  void readinessGivesEveryReasonAtOnce() throws Exception {
    broker.set(Optional.of("Kafka unreachable at b:9092: no answer within 3000 ms"));
    spending.set(Optional.of("spending stopped: unauthorized"));
    assertThat(get("/health/ready").body())
        .contains("Kafka unreachable at b:9092").contains("spending stopped: unauthorized");
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
    assertThat(response.headers().firstValue("Content-Type")).hasValue(OpsServer.PROMETHEUS_TEXT);
    assertThat(response.body()).contains("# TYPE imagefleet_jobs_in_flight gauge")
        .contains("imagefleet_jobs_in_flight{worker=\"w-1\"} 4");
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
    assertThat(response.body()).contains("\"worker_id\":\"w-1\"").contains("\"in_flight\":4");
  }

  @Test
  void answersUnknownPathsWith404AndOtherMethodsWith405() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(url("/metrics"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void namesTheKeysWhenThePortIsTaken() {
    assertThatThrownBy(() -> new OpsServer("127.0.0.1", server.port(), metrics::scrape, health, () -> null))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith("the ops endpoint cannot listen on 127.0.0.1:" + server.port() + " (ops.bind / ops.port");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
