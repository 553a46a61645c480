package io.imagefleet.worker.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.Json;
import io.imagefleet.worker.config.OpsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's ops endpoint: {@code GET /metrics} (Prometheus text), {@code /health/live}, {@code
 * /health/ready} (200, or 503 with the reasons as JSON) and {@code /status} (a {@link
 * WorkerStatus}). Every answer is computed from in-memory state, so a scrape never waits on Kafka
 * or the upstream.
 *
 * <p>Why Jetty and not the JDK's server: the JDK's server reads a request line on its handler
 * thread, so one client that sends half a line holds that thread with no time limit, and its only
 * limit is a JVM-wide system property. Jetty reads requests on its selector, so a silent or
 * half-sent connection holds no thread at all, and the connector's idle timeout ({@code
 * ops.read-timeout}) drops it. A few pooled threads then serve the answers; a probe is never queued
 * behind such a client.
 */
final class OpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  /** Jetty leases one acceptor and one selector thread from the pool; the rest serve requests. */
  private static final int MAX_THREADS = 6;

  /** Probes and scrapes send a few short headers; anything larger is not one of them. */
  private static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;

  private final Server server;
  private final ServerConnector connector;

  OpsServer(
      OpsSettings settings,
      Function<String, WorkerMetrics.Exposition> metrics,
      Health health,
      Supplier<WorkerStatus> status) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
    threads.setName("ops-http");
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
    // Jetty caches header fields per connection and by default matches their values ignoring case:
    // "Bearer abC" after "Bearer abc" on one connection would read as "Bearer abc".
    http.setHeaderCacheCaseSensitive(true);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(settings.bind());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.readTimeout().toMillis());
    server.addConnector(connector);
    BearerCheck bearer = new BearerCheck(settings.token());
    server.setHandler(
        new Routes(
            Map.of(
                "/metrics",
                    new Endpoint(
                        true,
                        accept -> {
                          WorkerMetrics.Exposition exposition = metrics.apply(accept);
                          return new Answer(200, exposition.contentType(), exposition.body());
                        }),
                "/health/live",
                    new Endpoint(false, accept -> health(health.notLiveReason().stream().toList())),
                "/health/ready", new Endpoint(false, accept -> health(health.notReadyReasons())),
                "/status",
                    new Endpoint(
                        true,
                        accept ->
                            new Answer(
                                200,
                                "application/json",
                                new String(status.get().toJson(), StandardCharsets.UTF_8)))),
            bearer));
    try {
      // Bound now, served from start(): a port in use stops the worker before it takes jobs.
      connector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the ops endpoint cannot listen on "
              + settings.bind()
              + ":"
              + settings.port()
              + " ("
              + e.getMessage()
              + "; another worker on this host?): set ops.port=0 (a free port) or another port,"
              + " in the config file or env IMAGEFLEET_OPS_PORT",
          e);
    }
  }

  void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("the ops endpoint did not start: " + e.getMessage(), e);
    }
  }

  /** The port it listens on (the chosen one when {@code ops.port} is 0). */
  int port() {
    return connector.getLocalPort();
  }

  private static Answer health(List<String> reasons) {
    ObjectNode body =
        Json.mapper().createObjectNode().put("status", reasons.isEmpty() ? "UP" : "DOWN");
    if (!reasons.isEmpty()) {
      reasons.forEach(body.putArray("reasons")::add);
    }
    return new Answer(reasons.isEmpty() ? 200 : 503, "application/json", body.toString());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.debug("stopping the ops endpoint failed", e);
    }
    // A server never started still holds the port that open() bound.
    connector.close();
  }

  private record Answer(int status, String contentType, String body) {}

  /**
   * One path: whether it needs the token, and how to compute its answer from the request's {@code
   * Accept} header (null when absent).
   */
  private record Endpoint(boolean guarded, Function<String, Answer> answer) {}

  /**
   * Exact paths only. Blocking in Jetty's sense: answers run on the pool, never on the selector.
   */
  private static final class Routes extends Handler.Abstract {
    private final Map<String, Endpoint> endpoints;
    private final BearerCheck bearer;

    Routes(Map<String, Endpoint> endpoints, BearerCheck bearer) {
      this.endpoints = Map.copyOf(endpoints);
      this.bearer = bearer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Answer a = answer(request);
      response.setStatus(a.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      if (a.status() == 401) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"imagefleet-ops\"");
      }
      // Jetty leaves the body out of an answer to HEAD.
      Content.Sink.write(response, true, a.body(), callback);
      return true;
    }

    private Answer answer(Request request) {
      String path = Request.getPathInContext(request);
      if (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      Endpoint endpoint = endpoints.get(path);
      if (endpoint == null) {
        return new Answer(
            404, TEXT, "not found; try /metrics, /health/live, /health/ready or /status\n");
      }
      String method = request.getMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        return new Answer(405, TEXT, "only GET\n");
      }
      if (endpoint.guarded()
          && !bearer.permits(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        return new Answer(
            401, TEXT, "this endpoint needs the ops token: Authorization: Bearer <ops.token>\n");
      }
      try {
        return endpoint.answer().apply(request.getHeaders().get(HttpHeader.ACCEPT));
      } catch (RuntimeException e) {
        log.warn("ops endpoint {} failed", path, e);
        return new Answer(500, TEXT, "internal error: " + e.getClass().getSimpleName() + "\n");
      }
    }
  }
}
