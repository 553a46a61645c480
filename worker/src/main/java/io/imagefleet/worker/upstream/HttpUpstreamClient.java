package io.imagefleet.worker.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.Json;
import io.imagefleet.worker.config.UpstreamSettings;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * {@link UpstreamClient} over Jetty's asynchronous {@link HttpClient}: pooled HTTP/1.1 connections,
 * explicit connect and per-call timeouts, and a small thread pool that parses answers and never
 * waits on the network. Jetty rather than the JDK's {@code java.net.http.HttpClient}: it spends far
 * less CPU for the same create, poll and download (docs/benchmark-log.md, "The upstream HTTP
 * client"), and its pool has a bound. The API key goes only to the configured base URL, never to
 * result links.
 *
 * <p>Result links come from the upstream's answers, so downloads are held to more: a size cap
 * ({@code upstream.max-download-bytes}), a bound on downloads at once for the worker ({@code
 * upstream.max-concurrent-downloads}), and a destination check on the addresses the link's host
 * resolves to (no loopback, private, link-local or metadata address unless {@code
 * upstream.allow-private-downloads}).
 */
public final class HttpUpstreamClient implements UpstreamClient {
  private static final ObjectMapper JSON = Json.mapper();

  /**
   * Largest API answer buffered (result images have their own cap, upstream.max-download-bytes).
   */
  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  /**
   * Pooled connections idle this long are closed by the client. Shorter than the keep-alive of the
   * servers it meets (30 s for the JDK's server, a minute or more for proxies), so the client
   * closes an idle connection first instead of sending a request on one the server is closing.
   */
  private static final Duration POOL_IDLE_TIMEOUT = Duration.ofSeconds(15);

  /** Jetty's I/O selector takes one thread of the pool for itself. */
  private static final int SELECTOR_THREADS = 1;

  /** Downloads only move bytes into a buffer: a small pool beside the selector suffices. */
  private static final int DOWNLOAD_THREADS = 2;

  /**
   * The buffer's room above the cap: one network read can carry a download past the cap, and the
   * size check, which names the condition, must end it rather than the buffer's own limit.
   */
  private static final long BUFFER_MARGIN_BYTES = 1024 * 1024;

  private final URI baseUrl;
  private final String authorization;
  private final Duration requestTimeout;
  private final Duration downloadTimeout;
  private final long maxDownloadBytes;
  private final HttpClient http;
  private final HttpClient downloads;
  private final DownloadSlots slots;

  public HttpUpstreamClient(UpstreamSettings settings) {
    this.baseUrl = withoutTrailingSlash(settings.baseUrl());
    this.authorization = "Bearer " + settings.apiKey().reveal();
    this.requestTimeout = settings.requestTimeout();
    this.downloadTimeout = settings.downloadTimeout();
    this.maxDownloadBytes = settings.maxDownloadBytes();
    QueuedThreadPool threads = pool("upstream-http", settings.httpThreads());
    // Timeouts fire on this thread; daemon like the pool, so the client never holds a JVM up.
    this.http =
        configure(
            new HttpClient(),
            threads,
            new ScheduledExecutorScheduler("upstream-http-timeouts", true),
            settings);
    // Result links get a client of their own: its resolver refuses private addresses, which the
    // configured gateway itself may well have (a simulator, an internal proxy).
    QueuedThreadPool downloadThreads = pool("upstream-download", DOWNLOAD_THREADS);
    ScheduledExecutorScheduler downloadTimer =
        new ScheduledExecutorScheduler("upstream-download-timeouts", true);
    this.downloads = configure(new HttpClient(), downloadThreads, downloadTimer, settings);
    downloads.setSocketAddressResolver(
        new PublicAddressResolver(
            new SocketAddressResolver.Async(
                downloadThreads, downloadTimer, settings.connectTimeout().toMillis()),
            PublicAddressResolver.forbidden(settings.allowPrivateDownloads())));
    this.slots = new DownloadSlots(settings.maxConcurrentDownloads(), downloadThreads);
    start(http);
    start(downloads);
  }

  private static QueuedThreadPool pool(String name, int workers) {
    QueuedThreadPool threads = new QueuedThreadPool(workers + SELECTOR_THREADS, 1);
    threads.setName(name);
    threads.setDaemon(true);
    threads.setReservedThreads(0); // a small pool: no thread parked in reserve for bursts
    return threads;
  }

  private static HttpClient configure(
      HttpClient client,
      QueuedThreadPool threads,
      ScheduledExecutorScheduler timer,
      UpstreamSettings settings) {
    client.setExecutor(threads);
    client.setScheduler(timer);
    client.setConnectTimeout(settings.connectTimeout().toMillis());
    client.setIdleTimeout(POOL_IDLE_TIMEOUT.toMillis());
    client.setFollowRedirects(false);
    client.setMaxConnectionsPerDestination(settings.maxConnections());
    // The in-flight cap already bounds the calls a worker has open; a second bound here would only
    // turn a burst of polls into failures.
    client.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE);
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "imagefleet-worker"));
    client.setHttpCookieStore(
        new HttpCookieStore.Empty()); // no state carried from one call to the next
    return client;
  }

  private static void start(HttpClient client) {
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the upstream HTTP client", e);
    }
    // Every answer goes to OutcomeClassifier as it came: none of the protocol handlers Jetty
    // installs
    // on start acts on it first (its authentication handler turns a 401 without a challenge header
    // into an exception, which would hide the "stop spending" status; redirects are never
    // followed).
    client.getProtocolHandlers().clear();
  }

  @Override
  public CompletableFuture<UpstreamOutcome<UpstreamTask>> create(CreateTaskRequest request) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("model", request.model())
            .put("prompt", request.prompt())
            .put("size", request.size())
            .put("quality", request.quality())
            .put("n", request.n());
    if (!request.imageUrls().isEmpty()) {
      request.imageUrls().forEach(body.putArray("image_urls")::add);
    }
    Request post =
        apiRequest(baseUrl.resolve(baseUrl.getPath() + "/v1/images/generations"), HttpMethod.POST)
            .body(new BytesRequestContent("application/json", toBytes(body)));
    return sendJson(post);
  }

  @Override
  public CompletableFuture<UpstreamOutcome<UpstreamTask>> query(String taskId) {
    String path =
        baseUrl.getPath() + "/v1/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
    return sendJson(apiRequest(baseUrl.resolve(path), HttpMethod.GET));
  }

  @Override
  public CompletableFuture<UpstreamOutcome<Download>> download(URI link) {
    return slots.run(() -> fetch(link));
  }

  private CompletableFuture<UpstreamOutcome<Download>> fetch(URI link) {
    Request get;
    try {
      get = withTimeout(downloads.newRequest(link).method(HttpMethod.GET), downloadTimeout);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new Failure<>(
              FailureKind.REJECTED,
              ErrorCodes.INVALID_UPSTREAM_RESULT,
              "a result link cannot be requested: " + e.getClass().getSimpleName(),
              0,
              Optional.empty()));
    }
    // Stops reading as soon as the image is known to be too large: by its declared length, or by
    // the
    // bytes received when it declares none.
    get.onResponseHeaders(
        response -> {
          long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
          if (declared > maxDownloadBytes) {
            response.abort(new DownloadTooLargeException());
          }
        });
    AtomicLong received = new AtomicLong();
    get.onResponseContent(
        (response, chunk) -> {
          if (received.addAndGet(chunk.remaining()) > maxDownloadBytes) {
            response.abort(new DownloadTooLargeException());
          }
        });
    // Room above the cap so that the check above, not the buffer's own limit, ends a large
    // download.
    int buffer = (int) Math.min(Integer.MAX_VALUE - 8L, maxDownloadBytes + BUFFER_MARGIN_BYTES);
    return new CompletableResponseListener(get, buffer)
        .send()
        .handle(
            (response, error) -> {
              if (error != null) {
                return downloadFailure(error);
              }
              if (response.getStatus() != 200) {
                return OutcomeClassifier.<Download>fromHttp(
                    response.getStatus(),
                    "download_http_" + response.getStatus(),
                    "downloading a result link answered HTTP " + response.getStatus(),
                    RetryAfter.of(response.getHeaders(), Clock.systemUTC()));
              }
              String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
              return UpstreamOutcome.success(
                  new Download(
                      response.getContent(), type == null ? "application/octet-stream" : type));
            });
  }

  /**
   * A download the worker refused (too large, forbidden address) is final; anything else as usual.
   */
  private UpstreamOutcome<Download> downloadFailure(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof DownloadTooLargeException) {
        return new Failure<>(
            FailureKind.REJECTED,
            ErrorCodes.DOWNLOAD_TOO_LARGE,
            "the image is larger than " + maxDownloadBytes + " bytes (upstream.max-download-bytes)",
            0,
            Optional.empty());
      }
      if (e instanceof PublicAddressResolver.ForbiddenDestinationException) {
        return new Failure<>(
            FailureKind.REJECTED,
            ErrorCodes.INVALID_UPSTREAM_RESULT,
            e.getMessage(),
            0,
            Optional.empty());
      }
    }
    return OutcomeClassifier.fromThrowable(error);
  }

  private Request apiRequest(URI uri, HttpMethod method) {
    return withTimeout(http.newRequest(uri).method(method), requestTimeout)
        .headers(
            h ->
                h.put(HttpHeader.AUTHORIZATION, authorization)
                    .put(HttpHeader.ACCEPT, "application/json"));
  }

  /**
   * The whole call, waiting for a pooled connection included; the idle timeout never ends it
   * sooner.
   */
  private static Request withTimeout(Request request, Duration timeout) {
    return request
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static CompletableFuture<ContentResponse> send(Request request) {
    return new CompletableResponseListener(request, MAX_BODY_BYTES).send();
  }

  private static CompletableFuture<UpstreamOutcome<UpstreamTask>> sendJson(Request request) {
    return send(request)
        .handle(
            (response, error) -> {
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

  private static UpstreamOutcome<UpstreamTask> interpret(ContentResponse response)
      throws IOException {
    int status = response.getStatus();
    byte[] content = response.getContent();
    JsonNode body = content.length == 0 ? JSON.createObjectNode() : readTree(content, status);
    if (status >= 200 && status < 300) {
      return UpstreamOutcome.success(TaskJson.parse(body));
    }
    JsonNode error = body.path("error");
    return OutcomeClassifier.fromHttp(
        status,
        textOrNull(error, "code"),
        textOrNull(error, "message"),
        RetryAfter.of(response.getHeaders(), Clock.systemUTC()),
        fallbackSuggestion(error.has("fallback_suggestion") ? error : body));
  }

  /**
   * The gateway's {@code fallback_suggestion} (in the error object or beside it), as short text: it
   * only informs the fallback and the logs, so anything long or not text is ignored.
   */
  private static Optional<String> fallbackSuggestion(JsonNode node) {
    JsonNode v = node.get("fallback_suggestion");
    return v != null && v.isTextual() && !v.asText().isBlank() && v.asText().length() <= 256
        ? Optional.of(v.asText().strip())
        : Optional.empty();
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
      // Fails the calls still open; their jobs are being stopped with the worker.
      http.stop();
      downloads.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the upstream HTTP client", e);
    }
  }

  /** Ends a download that passed {@code upstream.max-download-bytes}. */
  private static final class DownloadTooLargeException extends RuntimeException {
    DownloadTooLargeException() {
      super("the download passed upstream.max-download-bytes", null, false, false);
    }
  }
}
