package io.imagefleet.sandbox.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches every request by path and method; an unexpected exception becomes a 500. */
final class SimulatorRouter implements HttpHandler {

  static final String CREATE_PATH = "/v1/images/generations";
  private static final Logger LOG = LoggerFactory.getLogger(SimulatorRouter.class);

  private final CreateTaskHandler create;
  private final QueryTaskHandler query;
  private final DownloadHandler download;
  private final AdminHandler admin;
  private final Replies replies;

  SimulatorRouter(
      CreateTaskHandler create,
      QueryTaskHandler query,
      DownloadHandler download,
      AdminHandler admin,
      Replies replies) {
    this.create = create;
    this.query = query;
    this.download = download;
    this.admin = admin;
    this.replies = replies;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    try {
      if (path.startsWith(AdminHandler.PREFIX)) {
        admin.handle(exchange);
      } else if (path.equals(CREATE_PATH)) {
        requireMethod(exchange, "POST", () -> create.handle(exchange));
      } else if (path.startsWith(QueryTaskHandler.PREFIX)) {
        requireMethod(exchange, "GET", () -> query.handle(exchange));
      } else if (path.startsWith(DownloadHandler.PREFIX)) {
        requireMethod(exchange, "GET", () -> download.handle(exchange));
      } else {
        replies.error(
            exchange,
            ApiError.of(404, "not_found", "No endpoint " + method + " " + path),
            Duration.ZERO);
      }
    } catch (RuntimeException e) {
      LOG.error("Simulator failed on {} {}", method, path, e);
      replies.error(
          exchange, ApiError.of(500, "internal_error", "Simulator error: " + e), Duration.ZERO);
    }
  }

  private void requireMethod(HttpExchange exchange, String method, Runnable handler) {
    if (method.equals(exchange.getRequestMethod())) {
      handler.run();
    } else {
      exchange.getResponseHeaders().set("Allow", method);
      replies.error(
          exchange, ApiError.of(405, "method_not_allowed", "Use " + method + "."), Duration.ZERO);
    }
  }
}
