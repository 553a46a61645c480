package io.imagefleet.worker.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.Json;
import io.imagefleet.worker.config.UpstreamSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * {@link UpstreamClient} over Jetty's asynchronous {@link HttpClient}: pooled HTTP/1.1 connections,
 * explicit connect and per-call timeouts, and a small thread pool that parses answers and never waits
 * on the network. Jetty rather than the JDK's {@code java.net.http.HttpClient}: for the same create,
 * poll and download it spent about a quarter of the CPU (docs/benchmark-log.md, "The upstream HTTP
 * client"), and its
 * pool has a bound. The API key goes only to the configured base URL, never to result links.
 */
public final class HttpUpstreamClient implements UpstreamClient {
  private static final ObjectMapper JSON = Json.mapper();

  /** Largest answer buffered: a generated image at the largest size and quality is a few megabytes. */
  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  /**
   * Pooled connections idle this long are closed by the client. Shorter than the keep-alive of the
   * servers it meets (30 s for the JDK's server, a minute or more for proxies), so the client closes
   * an idle connection first instead of sending a request on one the server is closing.
   */
  private static final Duration POOL_IDLE_TIMEOUT = Duration.ofSeconds(15);

  /** Jetty's I/O selector takes one thread of the pool for itself. */
  private static final int SELECTOR_THREADS = 1;

  private final URI baseUrl;
  private final String authorization;
  private final Duration requestTimeout;
  private final Duration downloadTimeout;
  private final HttpClient http;

  public HttpUpstreamClient(UpstreamSettings settings) {
    this.baseUrl = withoutTrailingSlash(settings.baseUrl());
    this.authorization = "Bearer " + settings.apiKey().reveal();
    this.requestTimeout = settings.requestTimeout();
    this.downloadTimeout = settings.downloadTimeout();
    QueuedThreadPool threads = new QueuedThreadPool(settings.httpThreads() + SELECTOR_THREADS, 1);
    threads.setName("upstream-http");
    threads.setDaemon(true);
    threads.setReservedThreads(0); // a small pool: no thread parked in reserve for bursts
    this.http = new HttpClient();
    http.setExecutor(threads);
    // Timeouts fire on this thread; daemon like the pool, so the client never holds a JVM up.
    http.setScheduler(new ScheduledExecutorScheduler("upstream-http-timeouts", true));
    http.setConnectTimeout(settings.connectTimeout().toMillis());
    http.setIdleTimeout(POOL_IDLE_TIMEOUT.toMillis());
    http.setFollowRedirects(false);
    http.setMaxConnectionsPerDestination(settings.maxConnections());
    // The in-flight cap already bounds the calls a worker has open; a second bound here would only
    // turn a burst of polls into failures.
    http.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE);
    http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "imagefleet-worker"));
    http.setHttpCookieStore(new HttpCookieStore.Empty()); // no state carried from one call to the next
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the upstream HTTP client", e);
    }
    // Every answer goes to OutcomeClassifier as it came: none of the protocol handlers Jetty installs
    // on start acts on it first (its authentication handler turns a 401 without a challenge header
    // into an exception, which would hide the "stop spending" status; redirects are never followed).
    http.getProtocolHandlers().clear();
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
    Request post = apiRequest(baseUrl.resolve(baseUrl.getPath() + "/v1/images/generations"), HttpMethod.POST)
        .body(new BytesRequestContent("application/json", toBytes(body)));
    return sendJson(post);
  }

  @Override
  public CompletableFuture<UpstreamOutcome<UpstreamTask>> query(String taskId) {
    String path = baseUrl.getPath() + "/v1/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
    return sendJson(apiRequest(baseUrl.resolve(path), HttpMethod.GET));
  }

  @Override
  public CompletableFuture<UpstreamOutcome<Download>> download(URI link) {
    Request get = withTimeout(http.newRequest(link).method(HttpMethod.GET), downloadTimeout);
    return send(get).handle((response, error) -> {
      if (error != null) {
        return OutcomeClassifier.<Download>fromThrowable(error);
      }
      if (response.getStatus() != 200) {
        return OutcomeClassifier.<Download>fromHttp(response.getStatus(), "download_http_" + response.getStatus(),
            "downloading a result link answered HTTP " + response.getStatus(), Optional.empty());
      }
      String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
      return UpstreamOutcome.success(new Download(response.getContent(),
          type == null ? "application/octet-stream" : type));
    });
  }

  private Request apiRequest(URI uri, HttpMethod method) {
    return withTimeout(http.newRequest(uri).method(method), requestTimeout)
        .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization).put(HttpHeader.ACCEPT, "application/json"));
  }

  /** The whole call, waiting for a pooled connection included; the idle timeout never ends it sooner. */
  private static Request withTimeout(Request request, Duration timeout) {
    return request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static CompletableFuture<ContentResponse> send(Request request) {
    return new CompletableResponseListener(request, MAX_BODY_BYTES).send();
  }

  private static CompletableFuture<UpstreamOutcome<UpstreamTask>> sendJson(Request request) {
    return send(request).handle((response, error) -> {
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

  private static UpstreamOutcome<UpstreamTask> interpret(ContentResponse response) throws IOException {
    int status = response.getStatus();
    byte[] content = response.getContent();
    JsonNode body = content.length == 0 ? JSON.createObjectNode() : readTree(content, status);
    if (status >= 200 && status < 300) {
      return UpstreamOutcome.success(TaskJson.parse(body));
    }
    JsonNode error = body.path("error");
    Optional<Duration> retryAfter = Optional.ofNullable(response.getHeaders().get(HttpHeader.RETRY_AFTER))
        .flatMap(HttpUpstreamClient::seconds);
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
    try {
      http.stop(); // fails the calls still open; their jobs are being stopped with the worker
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the upstream HTTP client", e);
    }
  }
}
