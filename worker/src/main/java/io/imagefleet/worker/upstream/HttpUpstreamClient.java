package io.imagefleet.worker.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.Json;
import io.imagefleet.worker.config.UpstreamSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link UpstreamClient} over {@link HttpClient}: one client with connection reuse, explicit connect
 * and request timeouts, and a small bounded executor for the client's own work (none of its threads
 * waits on the network). The JDK completes {@code sendAsync}'s futures on the common fork-join pool, so
 * answers are parsed there (seen in profiles); moving the parse to the executor would add a hop. The API
 * key goes only to the configured base URL, never to result links.
 */
public final class HttpUpstreamClient implements UpstreamClient {
  private static final ObjectMapper JSON = Json.mapper();

  private final URI baseUrl;
  private final String authorization;
  private final Duration requestTimeout;
  private final Duration downloadTimeout;
  private final ExecutorService executor;
  private final HttpClient http;

  public HttpUpstreamClient(UpstreamSettings settings) {
    this.baseUrl = withoutTrailingSlash(settings.baseUrl());
    this.authorization = "Bearer " + settings.apiKey().reveal();
    this.requestTimeout = settings.requestTimeout();
    this.downloadTimeout = settings.downloadTimeout();
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(settings.httpThreads(), r -> {
      Thread t = new Thread(r, "upstream-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  @Override
  public CompletableFuture<UpstreamOutcome<UpstreamTask>> create(CreateTaskRequest request) {
    ObjectNode body = JSON.createObjectNode()
        .put("model", request.model())
        .put("prompt", request.prompt())
        .put("size", request.size())
        .put("quality", request.quality())
        .put("n", request.n());
    if (!request.imageUrls().isEmpty()) {
      request.imageUrls().forEach(body.putArray("image_urls")::add);
    }
    HttpRequest http = apiRequest(baseUrl.resolve(baseUrl.getPath() + "/v1/images/generations"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(toBytes(body)))
        .build();
    return sendJson(http);
  }

  @Override
  public CompletableFuture<UpstreamOutcome<UpstreamTask>> query(String taskId) {
    String path = baseUrl.getPath() + "/v1/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
    return sendJson(apiRequest(baseUrl.resolve(path)).GET().build());
  }

  @Override
  public CompletableFuture<UpstreamOutcome<Download>> download(URI link) {
    HttpRequest request = HttpRequest.newBuilder(link).timeout(downloadTimeout).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> {
          if (error != null) {
            return OutcomeClassifier.<Download>fromThrowable(error);
          }
          if (response.statusCode() != 200) {
            return OutcomeClassifier.<Download>fromHttp(response.statusCode(), "download_http_" + response.statusCode(),
                "downloading a result link answered HTTP " + response.statusCode(), Optional.empty());
          }
          String type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
          return UpstreamOutcome.success(new Download(response.body(), type));
        });
  }

  private HttpRequest.Builder apiRequest(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Authorization", authorization)
        .header("Accept", "application/json");
  }

  private CompletableFuture<UpstreamOutcome<UpstreamTask>> sendJson(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> {
          if (error != null) {
            return OutcomeClassifier.fromThrowable(error);
          }
          try {
            return interpret(response);
          } catch (IOException | RuntimeException e) {
            return OutcomeClassifier.fromThrowable(e);
          }
        });
  }

  private static UpstreamOutcome<UpstreamTask> interpret(HttpResponse<byte[]> response) throws IOException {
    int status = response.statusCode();
    JsonNode body = response.body().length == 0 ? JSON.createObjectNode() : readTree(response.body(), status);
    if (status >= 200 && status < 300) {
      return UpstreamOutcome.success(TaskJson.parse(body));
    }
    JsonNode error = body.path("error");
    Optional<Duration> retryAfter = response.headers().firstValue("Retry-After").flatMap(HttpUpstreamClient::seconds);
    return OutcomeClassifier.fromHttp(status, textOrNull(error, "code"), textOrNull(error, "message"), retryAfter);
  }

  private static JsonNode readTree(byte[] body, int status) throws IOException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      if (status >= 400) {
        return JSON.createObjectNode(); // an HTML error page from a proxy: the status says enough
      }
      throw e;
    }
  }

  static Optional<Duration> seconds(String header) {
    try {
      long s = Long.parseLong(header.trim());
      return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // HTTP-date form: ignored, our own backoff applies
    }
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static byte[] toBytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a request body", e);
    }
  }

  private static URI withoutTrailingSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
