package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane, for scripts and for tests in another process. No authentication: this is why
 * the simulator binds to loopback by default.
 *
 * <ul>
 *   <li>{@code GET /admin/stats}: {@link SimulatorStats} as JSON
 *   <li>{@code POST /admin/reset}: clears the counters (and the scripted-fault counts per prompt)
 *   <li>{@code GET /admin/faults}, {@code POST /admin/faults}: read or change the knobs ({@link
 *       KnobsJson})
 *   <li>{@code GET /admin/routes}; {@code POST /admin/routes/{model}/down} and {@code /up}
 * </ul>
 */
final class AdminHandler {

  static final String PREFIX = "/admin/";
  private static final Pattern ROUTE = Pattern.compile("/admin/routes/([^/]+)/(up|down)");

  /** What the admin endpoints act on, supplied by the simulator. */
  interface Controls {
    SimulatorStats stats();

    void resetStats();

    SimulatorKnobs knobs();

    SimulatorKnobs updateKnobs(UnaryOperator<SimulatorKnobs> change);

    Routes routes();
  }

  private final ObjectMapper mapper;
  private final Controls controls;
  private final Replies replies;

  AdminHandler(ObjectMapper mapper, Controls controls, Replies replies) {
    this.mapper = mapper;
    this.controls = controls;
    this.replies = replies;
  }

  void handle(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    try {
      route(exchange, method, path);
    } catch (RejectedRequestException e) {
      replies.adminError(exchange, e.error());
    } catch (IllegalArgumentException e) {
      replies.adminError(exchange, ApiError.invalidRequest(null, e.getMessage()));
    }
  }

  private void route(HttpExchange exchange, String method, String path) {
    Matcher route = ROUTE.matcher(path);
    if (path.equals("/admin/stats") && method.equals("GET")) {
      replies.admin(exchange, 200, mapper.valueToTree(controls.stats()));
    } else if (path.equals("/admin/reset") && method.equals("POST")) {
      controls.resetStats();
      replies.admin(exchange, 200, mapper.valueToTree(controls.stats()));
    } else if (path.equals("/admin/faults") && method.equals("GET")) {
      replies.admin(exchange, 200, KnobsJson.render(mapper, controls.knobs()));
    } else if (path.equals("/admin/faults") && method.equals("POST")) {
      var patch = JsonBodies.read(exchange, mapper);
      SimulatorKnobs updated = controls.updateKnobs(current -> KnobsJson.apply(current, patch));
      replies.admin(exchange, 200, KnobsJson.render(mapper, updated));
    } else if (path.equals("/admin/routes") && method.equals("GET")) {
      replies.admin(exchange, 200, mapper.valueToTree(controls.routes().snapshot()));
    } else if (route.matches() && method.equals("POST")) {
      String model = route.group(1);
      if (!controls.routes().isKnown(model)) {
        throw new RejectedRequestException(
            ApiError.of(404, "not_found", "unknown model '" + model + "'"));
      }
      controls.routes().setUp(model, route.group(2).equals("up"));
      ObjectNode body = mapper.createObjectNode();
      body.put("model", model);
      body.put("up", controls.routes().isUp(model));
      replies.admin(exchange, 200, body);
    } else {
      throw new RejectedRequestException(
          ApiError.of(404, "not_found", "No admin endpoint " + method + " " + path));
    }
  }
}
