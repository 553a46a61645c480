package io.imagefleet.worker.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imagefleet.contracts.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's ops endpoint on the JDK's HTTP server (no web framework): {@code GET /metrics}
 * (Prometheus text), {@code /health/live}, {@code /health/ready} (200, or 503 with the reasons as
 * JSON) and {@code /status} (a {@link WorkerStatus}). One small thread serves it; every answer is
 * computed from in-memory state, so a scrape never waits on Kafka or the upstream.
 */
final class OpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  OpsServer(String bind, int port, Supplier<String> metrics, Health health, Supplier<WorkerStatus> status) {
    try {
      this.server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("the ops endpoint cannot listen on " + bind + ":" + port
          + " (ops.bind / ops.port; 0 picks a free port): " + e.getMessage(), e);
    }
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ops-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> serve(ex, () -> new Answer(200, PROMETHEUS_TEXT, metrics.get())));
    server.createContext("/health/live", ex -> serve(ex, () -> health(health.notLiveReason().stream().toList())));
    server.createContext("/health/ready", ex -> serve(ex, () -> health(health.notReadyReasons())));
    server.createContext("/status", ex -> serve(ex, () ->
        new Answer(200, "application/json", new String(status.get().toJson(), StandardCharsets.UTF_8))));
    server.createContext("/", ex -> serve(ex, () -> new Answer(404, "text/plain; charset=utf-8",
        "not found; try /metrics, /health/live, /health/ready or /status\n")));
  }

  void start() {
    server.start();
  }

  /** The port it listens on (the chosen one when {@code ops.port} is 0). */
  int port() {
    return server.getAddress().getPort();
  }

  private static Answer health(List<String> reasons) {
    ObjectNode body = Json.mapper().createObjectNode().put("status", reasons.isEmpty() ? "UP" : "DOWN");
    if (!reasons.isEmpty()) {
      reasons.forEach(body.putArray("reasons")::add);
    }
    return new Answer(reasons.isEmpty() ? 200 : 503, "application/json", body.toString());
  }

  private static void serve(HttpExchange exchange, Supplier<Answer> answer) throws IOException {
    try (exchange) {
      Answer a;
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        a = new Answer(405, "text/plain; charset=utf-8", "only GET\n");
      } else if (!isExact(exchange, path)) {
        a = new Answer(404, "text/plain; charset=utf-8", "not found\n");
      } else {
        try {
          a = answer.get();
        } catch (RuntimeException e) {
          log.warn("ops endpoint {} failed", path, e);
          a = new Answer(500, "text/plain; charset=utf-8", "internal error: " + e.getClass().getSimpleName() + "\n");
        }
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", a.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(a.status(), head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** Contexts match by prefix; only the exact paths (and "/") are endpoints. */
  private static boolean isExact(HttpExchange exchange, String path) {
    String context = exchange.getHttpContext().getPath();
    return context.equals("/") || path.equals(context) || path.equals(context + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Answer(int status, String contentType, String body) {}
}
