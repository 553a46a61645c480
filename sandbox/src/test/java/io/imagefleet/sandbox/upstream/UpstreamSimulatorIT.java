package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.sandbox.testing.MutableClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UpstreamSimulatorIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static UpstreamSimulator sim;

  @BeforeAll
  static void startSimulator() {
    sim =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(200)))
                .build());
  }

  @AfterAll
  static void closeSimulator() {
    sim.close();
  }

  @Test
  void refusesCallsWithoutOrWithAWrongKey() throws Exception {
    String prompt = "a cat " + UUID.randomUUID();
    HttpResponse<byte[]> noKey =
        send(
            HttpRequest.newBuilder(sim.baseUrl().resolve("/v1/images/generations"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(body("gpt-image-1.5", prompt).toString())));
    assertThat(noKey.statusCode()).isEqualTo(401);
    JsonNode error = json(noKey).get("error");
    assertThat(error.get("code").asText()).isEqualTo("unauthorized");
    assertThat(error.has("message")).isTrue();
    assertThat(error.has("type")).isTrue();
    assertThat(error.has("param")).isTrue();

    HttpResponse<byte[]> wrongKey =
        send(
            HttpRequest.newBuilder(sim.baseUrl().resolve("/v1/tasks/task-unified-1-abcd"))
                .header("Authorization", "Bearer not-the-key")
                .GET());
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(sim.stats().tasksCreatedForPrompt(prompt)).isZero();
  }

  @Test
  void createdTaskCompletesAndItsImagesDownloadAtTheRequestedSize() throws Exception {
    String prompt = "a fox in snow " + UUID.randomUUID() + " [sim:duration=300ms]";
    ObjectNode request =
        body("gpt-image-1.5", prompt).put("size", "2:3").put("quality", "medium").put("n", 2);
    HttpResponse<byte[]> created = create(sim, request);
    assertThat(created.statusCode()).isEqualTo(200);
    JsonNode task = json(created);
    assertThat(task.get("id").asText()).matches("task-unified-\\d+-[a-z0-9]+");
    assertThat(task.get("object").asText()).isEqualTo("image.generation.task");
    assertThat(task.get("type").asText()).isEqualTo("image");
    assertThat(task.get("model").asText()).isEqualTo("gpt-image-1.5");
    assertThat(task.get("status").asText()).isEqualTo("pending");
    assertThat(task.get("progress").asInt()).isZero();
    assertThat(task.get("created").asLong())
        .isCloseTo(Instant.now().getEpochSecond(), Offset.offset(5L));
    assertThat(task.at("/task_info/can_cancel").asBoolean()).isTrue();
    assertThat(task.at("/task_info/estimated_time").asInt()).isEqualTo(1);
    assertThat(task.at("/usage/billing_rule").asText()).isEqualTo("per_call");
    assertThat(task.at("/usage/user_group").asText()).isEqualTo("default");
    assertThat(task.at("/usage/credits_reserved").isNumber()).isTrue();
    assertThat(task.has("results")).isFalse();

    String id = task.get("id").asText();
    AtomicReference<JsonNode> done = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              JsonNode polled = json(query(sim, id));
              done.set(polled);
              return polled.get("status").asText().equals("completed");
            });
    JsonNode completed = done.get();
    assertThat(completed.get("progress").asInt()).isEqualTo(100);
    assertThat(completed.at("/task_info/can_cancel").asBoolean()).isFalse();
    long textTokens = (prompt.length() + 3) / 4;
    assertThat(completed.at("/usage/output_tokens").asLong()).isEqualTo(2 * 1584);
    assertThat(completed.at("/usage/input_tokens_details/text_tokens").asLong())
        .isEqualTo(textTokens);
    assertThat(completed.at("/usage/input_tokens_details/image_tokens").asLong()).isZero();
    assertThat(completed.at("/usage/input_tokens").asLong()).isEqualTo(textTokens);
    assertThat(completed.at("/usage/total_tokens").asLong()).isEqualTo(textTokens + 2 * 1584);
    assertThat(completed.at("/usage/billing_rule").asText()).isEqualTo("per_call");

    List<String> results = new ArrayList<>();
    completed.get("results").forEach(url -> results.add(url.asText()));
    assertThat(results)
        .hasSize(2)
        .allMatch(url -> url.startsWith(sim.baseUrl() + "/files/" + id + "/"));
    for (String url : results) {
      HttpResponse<byte[]> png =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
      assertThat(image.getWidth()).isEqualTo(1024);
      assertThat(image.getHeight()).isEqualTo(1536);
      assertThat(PngImages.sha256(png.body())).isEqualTo(sim.expectedSha256(url));
    }
    assertThat(sim.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
  }

  @Test
  void lifecycleAndLinkExpiryFollowTheInjectedClock() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
    try (UpstreamSimulator own =
        UpstreamSimulator.start(
            SimulatorConfig.builder().clock(clock).linkTtl(Duration.ofHours(1)).build())) {
      String id =
          json(create(own, body("gpt-image-1", "a lake [sim:duration=100s]"))).get("id").asText();
      assertThat(id).startsWith("task-unified-" + clock.instant().getEpochSecond() + "-");
      assertThat(json(query(own, id)).get("status").asText()).isEqualTo("pending");
      clock.advance(Duration.ofSeconds(50));
      JsonNode halfway = json(query(own, id));
      assertThat(halfway.get("status").asText()).isEqualTo("processing");
      assertThat(halfway.get("progress").asInt()).isEqualTo(50);
      clock.advance(Duration.ofSeconds(50));
      JsonNode completed = json(query(own, id));
      assertThat(completed.get("status").asText()).isEqualTo("completed");
      String url = completed.get("results").get(0).asText();
      assertThat(download(url).statusCode()).isEqualTo(200);

      assertThat(download(url.replaceAll("sig=[0-9a-f]+", "sig=00")).statusCode()).isEqualTo(403);
      clock.advance(Duration.ofMinutes(59));
      assertThat(download(url).statusCode()).isEqualTo(410);
      assertThat(json(query(own, id)).get("status").asText()).isEqualTo("completed");
      assertThat(own.expectedSha256(url)).hasSize(64);
    }
  }

  @Test
  void failedTaskReportsItsErrorCode() throws Exception {
    String id =
        json(create(
                sim,
                body("gpt-image-1.5", "a flag [sim:fail=content_policy_violation,duration=0s]")))
            .get("id")
            .asText();
    JsonNode failed = json(query(sim, id));
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.at("/error/code").asText()).isEqualTo("content_policy_violation");
    assertThat(failed.at("/error/type").asText()).isEqualTo("task_error");
    assertThat(failed.at("/error/message").asText()).isNotBlank();
    assertThat(failed.has("results")).isFalse();
    assertThat(failed.at("/usage").has("output_tokens")).isFalse();
  }

  @Test
  void answersContractErrorsWithTheDocumentedBodies() throws Exception {
    HttpResponse<byte[]> invalid =
        create(sim, JSON.createObjectNode().put("model", "gpt-image-1.5"));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(json(invalid).at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(json(invalid).at("/error/param").asText()).isEqualTo("prompt");

    HttpResponse<byte[]> badSize = create(sim, body("gpt-image-1.5", "p").put("size", "800x600"));
    assertThat(json(badSize).at("/error/param").asText()).isEqualTo("size");

    HttpResponse<byte[]> unknownModel = create(sim, body("dall-e-9", "p"));
    assertThat(unknownModel.statusCode()).isEqualTo(403);
    assertThat(json(unknownModel).at("/error/code").asText()).isEqualTo("model_access_denied");

    HttpResponse<byte[]> badMarker = create(sim, body("gpt-image-1.5", "p [sim:fail=sometimes]"));
    assertThat(badMarker.statusCode()).isEqualTo(400);
    assertThat(json(badMarker).at("/error/param").asText()).isEqualTo("prompt");

    HttpResponse<byte[]> notJson =
        send(
            authorized(sim.baseUrl().resolve("/v1/images/generations"))
                .POST(HttpRequest.BodyPublishers.ofString("{nope")));
    assertThat(notJson.statusCode()).isEqualTo(400);

    HttpResponse<byte[]> malformedId = query(sim, "12345");
    assertThat(malformedId.statusCode()).isEqualTo(400);
    assertThat(json(malformedId).at("/error/code").asText()).isEqualTo("invalid_task_id");

    HttpResponse<byte[]> unknownId = query(sim, "task-unified-1700000000-zzzzzzzzzz");
    assertThat(unknownId.statusCode()).isEqualTo(404);
    assertThat(json(unknownId).at("/error/code").asText()).isEqualTo("task_not_found");

    HttpResponse<byte[]> wrongMethod =
        send(authorized(sim.baseUrl().resolve("/v1/images/generations")).GET());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }

  @Test
  void servesEveryModelWithItsOwnPromptLimitAndPrices() throws Exception {
    // 3,000 tokens as the simulator counts them: beyond the gpt-image-1.5 family, within
    // gpt-image-2's 32,000 characters.
    String longPrompt = "y".repeat(12_000);
    HttpResponse<byte[]> refused = create(sim, body("gpt-image-1.5", longPrompt));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json(refused).at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(json(refused).at("/error/param").asText()).isEqualTo("prompt");

    HttpResponse<byte[]> accepted = create(sim, body("gpt-image-2", longPrompt));
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(json(accepted).at("/model").asText()).isEqualTo("gpt-image-2");

    HttpResponse<byte[]> tooLong = create(sim, body("gpt-image-2", "y".repeat(32_001)));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(json(tooLong).at("/error/param").asText()).isEqualTo("prompt");

    // The same request costs what each model's own table says.
    double full = creditsReserved(create(sim, body("gpt-image-1.5", "a fox")));
    double lite = creditsReserved(create(sim, body("gpt-image-1.5-lite", "a fox")));
    assertThat(lite).isPositive().isLessThan(full);
  }

  private static double creditsReserved(HttpResponse<byte[]> created) throws IOException {
    assertThat(created.statusCode()).isEqualTo(200);
    return json(created).at("/usage/credits_reserved").asDouble();
  }

  @Test
  void scriptedRateLimitCarriesRetryAfterThenSucceeds() throws Exception {
    ObjectNode request =
        body("gpt-image-1.5", "[sim:create=429x1,retry-after=1] a cat " + UUID.randomUUID());
    HttpResponse<byte[]> limited = create(sim, request);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    assertThat(json(limited).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(create(sim, request).statusCode()).isEqualTo(200);
  }

  @Test
  void scriptedServiceUnavailableTwiceThenSucceeds() throws Exception {
    String prompt = "[sim:create=503x2] a dog " + UUID.randomUUID();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(create(sim, body("gpt-image-1.5", prompt)).statusCode());
    }
    assertThat(statuses).containsExactly(503, 503, 200);
    assertThat(sim.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
  }

  @Test
  void scriptedQueryFaultHitsTheFirstQueriesOfTheTask() throws Exception {
    String id =
        json(create(sim, body("gpt-image-1.5", "[sim:query=500x1] an owl " + UUID.randomUUID())))
            .get("id")
            .asText();
    HttpResponse<byte[]> first = query(sim, id);
    assertThat(first.statusCode()).isEqualTo(500);
    assertThat(json(first).at("/error/code").asText()).isEqualTo("internal_error");
    assertThat(query(sim, id).statusCode()).isEqualTo(200);
  }

  @Test
  void hungCallTimesOutOnTheClientAndTheNextCallSucceeds() throws Exception {
    ObjectNode request = body("gpt-image-1.5", "[sim:create=hangx1] a bat " + UUID.randomUUID());
    long hungBefore = sim.stats().hungRequests();
    HttpRequest hanging =
        authorized(sim.baseUrl().resolve("/v1/images/generations"))
            .timeout(Duration.ofMillis(500))
            .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
            .build();
    assertThatThrownBy(() -> HTTP.send(hanging, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(sim.stats().hungRequests()).isEqualTo(hungBefore + 1);
    assertThat(create(sim, request).statusCode()).isEqualTo(200);
  }

  @Test
  void lostAnswerCreatesAndBillsTheTaskButTheClientNeverHearsOfIt() throws Exception {
    String prompt = "[sim:create=lostx1] a lynx " + UUID.randomUUID();
    HttpRequest lost =
        authorized(sim.baseUrl().resolve("/v1/images/generations"))
            .timeout(Duration.ofMillis(500))
            .POST(HttpRequest.BodyPublishers.ofString(body("gpt-image-1.5", prompt).toString()))
            .build();
    assertThatThrownBy(() -> HTTP.send(lost, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(sim.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
    assertThat(create(sim, body("gpt-image-1.5", prompt)).statusCode()).isEqualTo(200);
    assertThat(sim.stats().tasksCreatedForPrompt(prompt)).isEqualTo(2);
  }

  @Test
  void hungCallIsDroppedWithoutAnAnswerAfterMaxHang() throws Exception {
    try (UpstreamSimulator own =
        UpstreamSimulator.start(
            SimulatorConfig.builder().maxHang(Duration.ofMillis(300)).build())) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> create(own, body("gpt-image-1.5", "[sim:create=hang] a mole")))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(own.stats().hungRequests()).isEqualTo(1);
      assertThat(own.stats().responsesByStatus()).isEmpty();
    }
  }

  @Test
  void routeTakenDownAnswers503UntilBroughtBackUp() throws Exception {
    sim.routeDown("gpt-image-1-mini");
    try {
      HttpResponse<byte[]> down = create(sim, body("gpt-image-1-mini", "a bee"));
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(json(down).at("/error/code").asText()).isEqualTo("service_unavailable");
      assertThat(create(sim, body("gpt-image-1", "a bee")).statusCode()).isEqualTo(200);
    } finally {
      sim.routeUp("gpt-image-1-mini");
    }
    assertThat(create(sim, body("gpt-image-1-mini", "a bee")).statusCode()).isEqualTo(200);

    assertThat(admin(sim, "POST", "/admin/routes/gpt-image-1/down", null).statusCode())
        .isEqualTo(200);
    assertThat(sim.isRouteUp("gpt-image-1")).isFalse();
    assertThat(create(sim, body("gpt-image-1", "a bee")).statusCode()).isEqualTo(503);
    assertThat(admin(sim, "POST", "/admin/routes/gpt-image-1/up", null).statusCode())
        .isEqualTo(200);
    assertThat(create(sim, body("gpt-image-1", "a bee")).statusCode()).isEqualTo(200);
    assertThat(admin(sim, "POST", "/admin/routes/no-such-model/down", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void adminApiCountsSetsFaultsAndResets() throws Exception {
    try (UpstreamSimulator own =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(30)))
                .build())) {
      String id = json(create(own, body("gpt-image-1.5", "one"))).get("id").asText();
      create(own, body("gpt-image-1", "two"));
      create(own, body("gpt-image-1", "two"));
      query(own, id);
      query(own, id);
      send(HttpRequest.newBuilder(own.baseUrl().resolve("/v1/tasks/" + id)).GET());

      JsonNode stats = json(admin(own, "GET", "/admin/stats", null));
      assertThat(stats.get("tasksCreated").asLong()).isEqualTo(3);
      assertThat(stats.at("/tasksCreatedByRoute/gpt-image-1").asLong()).isEqualTo(2);
      assertThat(stats.at("/tasksCreatedByPrompt/two").asLong()).isEqualTo(2);
      assertThat(stats.get("createRequests").asLong()).isEqualTo(3);
      assertThat(stats.get("queryRequests").asLong()).isEqualTo(3);
      assertThat(stats.at("/responsesByStatus/200").asLong()).isEqualTo(5);
      assertThat(stats.at("/responsesByStatus/401").asLong()).isEqualTo(1);

      JsonNode knobs =
          json(
              admin(
                  own,
                  "POST",
                  "/admin/faults",
                  "{\"quotaExhausted\":true,\"createFaults\":{\"retryAfterSeconds\":4}}"));
      assertThat(knobs.get("quotaExhausted").asBoolean()).isTrue();
      assertThat(own.knobs().createFaults().retryAfterSeconds()).isEqualTo(4);
      HttpResponse<byte[]> broke = create(own, body("gpt-image-1.5", "three"));
      assertThat(broke.statusCode()).isEqualTo(402);
      assertThat(json(broke).at("/error/code").asText()).isEqualTo("insufficient_quota");
      assertThat(admin(own, "POST", "/admin/faults", "{\"speed\":11}").statusCode()).isEqualTo(400);

      admin(
          own,
          "POST",
          "/admin/faults",
          "{\"quotaExhausted\":false,\"createFaults\":{\"rateLimited\":1.0}}");
      HttpResponse<byte[]> limited = create(own, body("gpt-image-1.5", "four"));
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).contains("4");

      assertThat(admin(own, "POST", "/admin/reset", null).statusCode()).isEqualTo(200);
      SimulatorStats reset = own.stats();
      assertThat(reset.tasksCreated()).isZero();
      assertThat(reset.responsesByStatus()).isEmpty();
      assertThat(json(admin(own, "GET", "/admin/routes", null)).get("gpt-image-1.5").asBoolean())
          .isTrue();
    }
  }

  @Test
  void delayedAnswersHoldNoHandlerThread() throws Exception {
    try (UpstreamSimulator own =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .handlerThreads(1)
                .queryLatency(DurationDistribution.fixed(Duration.ofSeconds(1)))
                .build())) {
      String id = json(create(own, body("gpt-image-1.5", "slow"))).get("id").asText();
      long start = System.nanoTime();
      List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(
            HTTP.sendAsync(
                authorized(own.baseUrl().resolve("/v1/tasks/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()));
      }
      for (CompletableFuture<HttpResponse<byte[]>> call : calls) {
        assertThat(call.get().statusCode()).isEqualTo(200);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      // One handler thread sleeping 1 s per call would need 8 s.
      assertThat(elapsed).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }
  }

  // --- helpers

  private static ObjectNode body(String model, String prompt) {
    return JSON.createObjectNode().put("model", model).put("prompt", prompt);
  }

  private static HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + sim.apiKey())
        .header("Content-Type", "application/json");
  }

  private static HttpResponse<byte[]> create(UpstreamSimulator target, JsonNode request)
      throws Exception {
    return send(
        HttpRequest.newBuilder(target.baseUrl().resolve("/v1/images/generations"))
            .header("Authorization", "Bearer " + target.apiKey())
            .POST(HttpRequest.BodyPublishers.ofString(request.toString())));
  }

  private static HttpResponse<byte[]> query(UpstreamSimulator target, String id) throws Exception {
    return send(
        HttpRequest.newBuilder(target.baseUrl().resolve("/v1/tasks/" + id))
            .header("Authorization", "Bearer " + target.apiKey())
            .GET());
  }

  private static HttpResponse<byte[]> download(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private static HttpResponse<byte[]> admin(
      UpstreamSimulator target, String method, String path, String body) throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    return send(HttpRequest.newBuilder(target.baseUrl().resolve(path)).method(method, publisher));
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
