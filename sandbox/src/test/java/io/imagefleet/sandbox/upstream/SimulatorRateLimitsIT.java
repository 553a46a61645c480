package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.sandbox.testing.MutableClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's rate limits over HTTP, on a clock the test moves: bursts of 429 once a bucket is
 * empty, {@code Retry-After} and {@code retry-after-ms} from the bucket, creations per model and
 * queries limited apart, and the stats that count them.
 */
class SimulatorRateLimitsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final UpstreamSimulator sim =
      UpstreamSimulator.start(
          SimulatorConfig.builder()
              .clock(clock)
              .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(10)))
              .createsPerSecond(4)
              .queriesPerSecond(10)
              .build());

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void onceTheCreationBucketIsEmptyEveryCreateIsRefusedUntilItRefills() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(create("gpt-image-1.5", "burst " + i).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 6; i++) {
      HttpResponse<byte[]> refused = create("gpt-image-1.5", "beyond " + i);
      assertThat(refused.statusCode()).isEqualTo(429);
      JsonNode error = json(refused).get("error");
      assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
      // One token every 250 ms: the exact wait, and whole seconds rounded up (RFC 9110).
      assertThat(refused.headers().firstValue("retry-after-ms")).contains("250");
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    }
    clock.advance(Duration.ofMillis(100));
    HttpResponse<byte[]> stillEarly = create("gpt-image-1.5", "early");
    assertThat(stillEarly.statusCode()).isEqualTo(429);
    assertThat(stillEarly.headers().firstValue("retry-after-ms")).contains("150");
    clock.advance(Duration.ofMillis(150));
    assertThat(create("gpt-image-1.5", "refilled").statusCode()).isEqualTo(200);
    assertThat(create("gpt-image-1.5", "again").statusCode()).isEqualTo(429);

    SimulatorStats stats = sim.stats();
    assertThat(stats.tasksCreated()).isEqualTo(5);
    assertThat(stats.tasksCreatedForPrompt("beyond 0")).isZero(); // refused creates nothing
    assertThat(stats.createsRateLimited()).isEqualTo(8);
    assertThat(stats.responses(429)).isEqualTo(8);
    assertThat(stats.injectedRateLimitedCreates()).isZero();
  }

  @Test
  void eachModelHasItsOwnCreationBucketAndQueriesTheirOwn() throws Exception {
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(json(create("gpt-image-1.5", "first model " + i)).get("id").asText());
    }
    assertThat(create("gpt-image-1.5", "first model, one too many").statusCode()).isEqualTo(429);
    // Another route, another bucket.
    assertThat(create("gpt-image-1", "second model").statusCode()).isEqualTo(200);

    // Creations being refused leaves queries alone, and the other way round.
    for (int i = 0; i < 10; i++) {
      assertThat(query(tasks.get(i % tasks.size())).statusCode()).isEqualTo(200);
    }
    HttpResponse<byte[]> refused = query(tasks.get(0));
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(json(refused).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(refused.headers().firstValue("retry-after-ms")).contains("100");
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(create("gpt-image-1.5", "a new second").statusCode()).isEqualTo(200);

    SimulatorStats stats = sim.stats();
    assertThat(stats.createsRateLimited()).isEqualTo(1);
    assertThat(stats.queriesRateLimited()).isEqualTo(1);
    assertThat(stats.apiCalls()).isEqualTo(6 + 1 + 11);
  }

  @Test
  void limitsChangeAndLiftAtRuntimeThroughTheAdminApi() throws Exception {
    assertThat(admin("{\"createsPerSecond\": 1, \"queriesPerSecond\": 0}").statusCode())
        .isEqualTo(200);
    assertThat(create("gpt-image-1.5", "one").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> refused = create("gpt-image-1.5", "two");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after-ms")).contains("1000");
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");

    assertThat(admin("{\"createsPerSecond\": 0}").statusCode()).isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      assertThat(create("gpt-image-1.5", "unlimited " + i).statusCode()).isEqualTo(200);
    }
    JsonNode stats = json(get("/admin/stats"));
    assertThat(stats.get("createsRateLimited").asLong()).isEqualTo(1);
    assertThat(stats.get("queriesRateLimited").asLong()).isZero();
  }

  @Test
  void aFaultsOwn429IsCountedApartFromTheRateLimit() throws Exception {
    HttpResponse<byte[]> scripted = create("gpt-image-1.5", "[sim:create=429x1] scripted");
    assertThat(scripted.statusCode()).isEqualTo(429);
    assertThat(scripted.headers().firstValue("retry-after-ms")).isEmpty();
    SimulatorStats stats = sim.stats();
    assertThat(stats.injectedRateLimitedCreates()).isEqualTo(1);
    assertThat(stats.createsRateLimited()).isZero();
  }

  @Test
  void countsTheLongestTimeATaskWentUnpolledPastItsEstimate() throws Exception {
    sim.setRateLimits(0, 0);
    String early =
        json(create("gpt-image-1.5", "polled in time [sim:duration=10s]")).get("id").asText();
    String late = json(create("gpt-image-1.5", "polled late [sim:duration=4s]")).get("id").asText();
    clock.advance(Duration.ofSeconds(3));
    query(early); // before either estimate: no gap
    assertThat(sim.stats().maxPollGapMillis()).isZero();
    clock.advance(Duration.ofSeconds(4)); // 7 s: "late" is 3 s past its 4 s estimate
    query(late);
    assertThat(sim.stats().maxPollGapMillis()).isEqualTo(3_000);
    clock.advance(Duration.ofSeconds(2));
    query(late); // 2 s since its previous poll
    clock.advance(Duration.ofSeconds(2)); // 11 s: "early" is 1 s past its estimate
    query(early);
    assertThat(sim.stats().maxPollGapMillis()).isEqualTo(3_000);

    // A refused query tells the client nothing: the task still counts as unpolled.
    sim.setRateLimits(0, 0.01); // one query per 100 s
    assertThat(query(late).statusCode()).isEqualTo(200); // 11 s, takes the one token
    clock.advance(Duration.ofSeconds(5));
    assertThat(query(late).statusCode()).isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    sim.setRateLimits(0, 0);
    assertThat(query(late).statusCode()).isEqualTo(200); // 6 s after the last answered one
    assertThat(sim.stats().maxPollGapMillis()).isEqualTo(6_000);
    assertThat(sim.stats().maxPollGapUnansweredQueries())
        .as("the client asked within that gap and was refused")
        .isEqualTo(1);
    sim.resetStats();
    assertThat(sim.stats().maxPollGapMillis()).isZero();
  }

  private HttpResponse<byte[]> create(String model, String prompt) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", prompt);
    return send(
        HttpRequest.newBuilder(sim.baseUrl().resolve("/v1/images/generations"))
            .header("Authorization", "Bearer " + sim.apiKey())
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private HttpResponse<byte[]> query(String id) throws Exception {
    return send(
        HttpRequest.newBuilder(sim.baseUrl().resolve("/v1/tasks/" + id))
            .header("Authorization", "Bearer " + sim.apiKey())
            .GET());
  }

  private HttpResponse<byte[]> admin(String body) throws Exception {
    return send(
        HttpRequest.newBuilder(sim.baseUrl().resolve("/admin/faults"))
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(sim.baseUrl().resolve(path)).GET());
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
