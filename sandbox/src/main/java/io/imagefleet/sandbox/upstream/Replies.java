package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends answers, now or later. A delayed answer is completed from the scheduler after the handler
 * has returned: the JDK server leaves an exchange open until it is closed, so no handler thread
 * ever sleeps and the thread pool stays small however slow the simulated upstream is.
 *
 * <p>Answers on the API endpoints are counted per status; admin answers are not.
 */
final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private final ObjectMapper mapper;
  private final ScheduledExecutorService scheduler;
  private final StatsCounters stats;
  private final HungExchanges hung;

  Replies(
      ObjectMapper mapper,
      ScheduledExecutorService scheduler,
      StatsCounters stats,
      HungExchanges hung) {
    this.mapper = mapper;
    this.scheduler = scheduler;
    this.stats = stats;
    this.hung = hung;
  }

  /** A counted JSON answer after {@code delay}. */
  void json(HttpExchange exchange, int status, JsonNode body, Duration delay) {
    later(exchange, delay, () -> send(exchange, status, "application/json", bytes(body), true));
  }

  /** A counted error answer after {@code delay}. */
  void error(HttpExchange exchange, ApiError error, Duration delay) {
    later(exchange, delay, () -> sendError(exchange, error, true));
  }

  /** A counted answer with raw bytes, now. */
  void bytes(HttpExchange exchange, int status, String contentType, byte[] body) {
    send(exchange, status, contentType, body, true);
  }

  /** An uncounted (admin) JSON answer, now. */
  void admin(HttpExchange exchange, int status, JsonNode body) {
    send(exchange, status, "application/json", bytes(body), false);
  }

  /** An uncounted (admin) error answer, now. */
  void adminError(HttpExchange exchange, ApiError error) {
    sendError(exchange, error, false);
  }

  /** Never answers; see {@link HungExchanges}. */
  void hang(HttpExchange exchange) {
    stats.hung();
    hung.hold(exchange);
  }

  ObjectNode errorBody(ApiError error) {
    ObjectNode body = mapper.createObjectNode();
    ObjectNode e = body.putObject("error");
    e.put("code", error.code());
    e.put("message", error.message());
    e.put("type", error.type());
    e.put("param", error.param());
    return body;
  }

  private void sendError(HttpExchange exchange, ApiError error, boolean counted) {
    error
        .retryAfterSeconds()
        .ifPresent(
            seconds -> exchange.getResponseHeaders().set("Retry-After", Integer.toString(seconds)));
    error
        .retryAfterMillis()
        .ifPresent(
            millis -> exchange.getResponseHeaders().set("retry-after-ms", Long.toString(millis)));
    send(exchange, error.status(), "application/json", bytes(errorBody(error)), counted);
  }

  private void later(HttpExchange exchange, Duration delay, Runnable answer) {
    if (delay.isZero() || delay.isNegative()) {
      answer.run();
      return;
    }
    try {
      scheduler.schedule(answer, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      exchange.close(); // simulator is closing
    }
  }

  private void send(
      HttpExchange exchange, int status, String contentType, byte[] body, boolean counted) {
    try {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (counted) {
        stats.responded(status);
      }
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      LOG.debug(
          "Could not answer {} {}: {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          e.toString());
    } finally {
      exchange.close();
    }
  }

  private byte[] bytes(JsonNode body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("could not serialise a JSON tree", e);
    }
  }
}
