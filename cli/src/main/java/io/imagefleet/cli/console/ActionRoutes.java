package io.imagefleet.cli.console;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.Json;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP side of {@link Actions}: {@code POST /api/actions/redrive} with {@code {"partition",
 * "offset"}} of a dead letter, and {@code POST /api/actions/cancel} with {@code {"tenant",
 * "job_id", "reason"}}. Each is refused unless actions are on and {@link ActionGuard} lets the
 * request through; the access check has run before. A tenant's token may cancel that tenant's jobs
 * and nothing else.
 */
final class ActionRoutes {
  static final String PREFIX = "/api/actions/";

  /** The page's bodies are a few dozen bytes. */
  static final int MAX_BODY_BYTES = 4096;

  private final Actions actions;

  ActionRoutes(Actions actions) {
    this.actions = actions;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record RedriveBody(Integer partition, Long offset) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record CancelBody(String tenant, String jobId, String reason) {}

  /**
   * @param body the request's body, read whole before any answer (see {@link ConsoleServer})
   */
  boolean handle(
      String path,
      Request request,
      String body,
      Response response,
      Callback callback,
      Viewer viewer,
      String by)
      throws Exception {
    Optional<String> off = actions.whyOff();
    if (off.isPresent()) {
      return ConsoleServer.text(response, callback, 403, off.get() + "\n");
    }
    var h = request.getHeaders();
    Optional<String> refusal =
        ActionGuard.refusal(
            h.get(HttpHeader.HOST),
            h.get(HttpHeader.ORIGIN),
            h.get("Sec-Fetch-Site"),
            h.get(HttpHeader.CONTENT_TYPE),
            h.get(ActionGuard.HEADER));
    if (refusal.isPresent()) {
      return ConsoleServer.text(response, callback, 403, refusal.get() + "\n");
    }
    Actions.Answer answer;
    switch (path) {
      case PREFIX + "redrive" -> {
        if (!viewer.isOperator()) {
          return ConsoleServer.text(
              response,
              callback,
              403,
              "redriving is the operator's: a dead letter may be any producer's record\n");
        }
        RedriveBody b = read(body, RedriveBody.class);
        if (b.partition() == null || b.offset() == null || b.partition() < 0 || b.offset() < 0) {
          throw new IllegalArgumentException(
              "give the dead letter: {\"partition\": P, \"offset\": O}");
        }
        answer = actions.redrive(b.partition(), b.offset(), by);
      }
      case PREFIX + "cancel" -> {
        CancelBody b = read(body, CancelBody.class);
        if (b.tenant() == null
            || b.tenant().isBlank()
            || b.jobId() == null
            || b.jobId().isBlank()) {
          throw new IllegalArgumentException(
              "give the job: {\"tenant\": \"T\", \"job_id\": \"J\"}");
        }
        if (!viewer.sees(b.tenant())) {
          return ConsoleServer.text(
              response, callback, 403, "a tenant's token cancels that tenant's jobs only\n");
        }
        answer = actions.cancel(b.tenant(), b.jobId(), b.reason(), by);
      }
      default -> {
        return ConsoleServer.text(response, callback, 404, "no such action\n");
      }
    }
    return ConsoleServer.bytes(
        response,
        callback,
        answer.status(),
        ConsoleServer.JSON,
        Json.mapper().writeValueAsBytes(answer.record()));
  }

  private static <T> T read(String body, Class<T> type) {
    try {
      return Json.mapper().readValue(body, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("an action's body must be a JSON object");
    }
  }
}
