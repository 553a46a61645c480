package io.imagefleet.cli.console;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.imagefleet.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
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
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP side, on Jetty as the worker's ops endpoint is (and for the same reason: a
 * silent client holds no thread). The page and its script, the JSON the page reads ({@code
 * /api/jobs}, {@code /api/job}, {@code /api/fleet}, {@code /api/actions}), images ({@code
 * /api/image}, whole or as a thumbnail, through {@link ConsoleImages} only) and the live stream
 * ({@code /api/events}). The one way to change the fleet is a POST to {@link ActionRoutes}, after
 * the same access check.
 */
final class ConsoleServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);

  /** Pages open at once; each holds one thread while open. */
  static final int MAX_PAGES = 16;

  private static final int LIST_LIMIT = 500;
  private static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";

  /**
   * The page loads only its own script, style and images, and is framed by no one: a job's text
   * (its metadata, an error message) can never run as script.
   */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private static final Map<String, Asset> ASSETS =
      Map.of(
          "/", Asset.of("index.html", "text/html; charset=utf-8"),
          "/console.js", Asset.of("console.js", "text/javascript; charset=utf-8"),
          "/console.css", Asset.of("console.css", "text/css; charset=utf-8"));

  private final Server server;
  private final ServerConnector connector;

  ConsoleServer(
      ConsoleSettings settings,
      JobView jobs,
      FleetView fleet,
      EventStream stream,
      ConsoleImages images,
      Actions actions) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_PAGES + 8, 2);
    threads.setName("console-http");
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(8 * 1024);
    http.setHeaderCacheCaseSensitive(true);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(settings.bind());
    connector.setPort(settings.port());
    // Longer than the stream's keepalive, so an open page is never dropped for being quiet.
    connector.setIdleTimeout(60_000);
    server.addConnector(connector);
    server.setHandler(
        new Routes(
            jobs,
            fleet,
            stream,
            images,
            new AccessCheck(settings.token(), settings.tenantTokens()),
            actions,
            new ActionRoutes(actions)));
    try {
      connector.open();
    } catch (IOException e) {
      throw new IllegalStateException(
          "the console cannot listen on "
              + settings.bind()
              + ":"
              + settings.port()
              + " ("
              + e.getMessage()
              + "): choose another --port, or 0 for a free one",
          e);
    }
  }

  void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("the console did not start: " + e.getMessage(), e);
    }
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.debug("stopping the console failed", e);
    }
    connector.close();
  }

  private record Asset(byte[] bytes, String contentType) {
    static Asset of(String name, String contentType) {
      try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("the console's " + name + " is missing from the jar");
        }
        return new Asset(in.readAllBytes(), contentType);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Exact paths; answers run on Jetty's pool, where the event stream may block. */
  private static final class Routes extends Handler.Abstract {
    private final JobView jobs;
    private final FleetView fleet;
    private final EventStream stream;
    private final ConsoleImages images;
    private final AccessCheck access;
    private final Actions actions;
    private final ActionRoutes actionRoutes;

    Routes(
        JobView jobs,
        FleetView fleet,
        EventStream stream,
        ConsoleImages images,
        AccessCheck access,
        Actions actions,
        ActionRoutes actionRoutes) {
      this.jobs = jobs;
      this.fleet = fleet;
      this.stream = stream;
      this.images = images;
      this.access = access;
      this.actions = actions;
      this.actionRoutes = actionRoutes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      var headers = response.getHeaders();
      headers.put("X-Content-Type-Options", "nosniff");
      headers.put("Referrer-Policy", "no-referrer");
      headers.put("Content-Security-Policy", CSP);
      headers.put(HttpHeader.CACHE_CONTROL, "no-store");
      String method = request.getMethod();
      String path = Request.getPathInContext(request);
      boolean action = path.startsWith(ActionRoutes.PREFIX);
      if (action ? !"POST".equals(method) : !"GET".equals(method) && !"HEAD".equals(method)) {
        headers.put(HttpHeader.CONNECTION, "close"); // its body, if any, is left unread
        return text(response, callback, 405, action ? "only POST\n" : "only GET\n");
      }
      String body = null;
      if (action) {
        // Read before any answer, refusals included: a connection whose request body is left
        // unread is closed after the answer, and a client may already have reused it.
        long length = request.getLength();
        if (length < 0 || length > ActionRoutes.MAX_BODY_BYTES) {
          headers.put(HttpHeader.CONNECTION, "close");
          return text(
              response,
              callback,
              413,
              "an action's body must be 0 to " + ActionRoutes.MAX_BODY_BYTES + " bytes\n");
        }
        body = Content.Source.asString(request);
      }
      Fields query = Request.extractQueryParameters(request);
      String offered = query.getValue("token");
      if ("/".equals(path) && offered != null && access.needsToken()) {
        // The token arrives once in the address and is swapped for a cookie at once, so it stays
        // in neither the address bar nor the history.
        Optional<String> cookie = access.cookieFor(offered);
        if (cookie.isEmpty()) {
          return text(response, callback, 401, "wrong token\n");
        }
        headers.add(
            HttpHeader.SET_COOKIE,
            AccessCheck.COOKIE + "=" + cookie.get() + "; Path=/; HttpOnly; SameSite=Strict");
        Response.sendRedirect(request, response, callback, "/");
        return true;
      }
      AccessCheck.Access admitted =
          access.check(
              request.getHttpURI().getHost(),
              request.getHeaders().get(HttpHeader.AUTHORIZATION),
              cookie(request));
      switch (admitted.verdict()) {
        case NEEDS_TOKEN -> {
          headers.put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"imagefleet-console\"");
          return text(
              response,
              callback,
              401,
              "the console needs its token: open /?token=<token> once, or send Authorization:"
                  + " Bearer <token>\n");
        }
        case NOT_LOOPBACK_HOST -> {
          return text(
              response,
              callback,
              403,
              "without a token the console answers only at localhost or 127.0.0.1\n");
        }
        case ALLOWED -> {}
      }
      try {
        if (action) {
          Viewer viewer = admitted.viewer();
          String at = " token holder at " + Request.getRemoteAddr(request);
          String by =
              viewer
                  .tenant()
                  .map(t -> "tenant " + t + at)
                  .orElse(access.needsToken() ? "operator" + at : "loopback");
          return actionRoutes.handle(path, request, body, response, callback, viewer, by);
        }
        return route(path, query, admitted.viewer(), request, response, callback);
      } catch (IllegalArgumentException e) {
        return text(response, callback, 400, e.getMessage() + "\n");
      } catch (RuntimeException e) {
        log.warn("console {} failed", path, e);
        return text(response, callback, 500, "internal error: " + e.getClass().getSimpleName());
      }
    }

    private boolean route(
        String path,
        Fields query,
        Viewer viewer,
        Request request,
        Response response,
        Callback callback)
        throws Exception {
      Asset asset = ASSETS.get(path);
      if (asset != null) {
        return bytes(response, callback, 200, asset.contentType(), asset.bytes());
      }
      switch (path) {
        case "/api/jobs" -> {
          int limit = Math.min(LIST_LIMIT, intParam(query, "limit", 200));
          Optional<JobFilter> seen = JobFilter.of(query::getValue).seenBy(viewer);
          return json(
              response, callback, seen.isEmpty() ? List.of() : jobs.list(seen.get(), limit));
        }
        case "/api/job" -> {
          var detail = jobs.detail(key(query, viewer));
          return detail.isPresent()
              ? json(response, callback, detail.get())
              : text(response, callback, 404, "no such job in the console's window\n");
        }
        case "/api/image" -> {
          return image(query, viewer, response, callback);
        }
        case "/favicon.ico" -> {
          // None: an answer without a body keeps the browser from logging a 404 on every page.
          response.setStatus(204);
          callback.succeeded();
          return true;
        }
        case "/api/fleet" -> {
          return json(response, callback, new FleetAnswer(fleet.snapshot(viewer), jobs.moves()));
        }
        case "/api/actions" -> {
          return json(response, callback, actions.status(viewer));
        }
        case "/api/events" -> {
          if (!"GET".equals(request.getMethod())) {
            // A stream has no head to show; a HEAD would hold a thread for nothing.
            return text(response, callback, 405, "only GET\n");
          }
          if (!stream.serve(response, viewer)) {
            return text(response, callback, 503, "too many open pages\n");
          }
          callback.succeeded();
          return true;
        }
        default -> {
          return text(response, callback, 404, "not found\n");
        }
      }
    }

    private boolean image(Fields query, Viewer viewer, Response response, Callback callback) {
      Optional<String> location =
          jobs.imageLocation(key(query, viewer), intParam(query, "index", 0));
      ConsoleImages.Answer answer =
          "thumb".equals(query.getValue("size"))
              ? images.thumbnail(location)
              : images.full(location);
      if (answer instanceof ConsoleImages.Refusal refusal) {
        return text(response, callback, refusal.status(), refusal.message());
      }
      ConsoleImages.Image image = (ConsoleImages.Image) answer;
      // Stored images never change: a browser may keep them for the session.
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "private, max-age=3600");
      return bytes(response, callback, 200, image.contentType(), image.bytes());
    }

    private static String cookie(Request request) {
      for (HttpCookie c : Request.getCookies(request)) {
        if (AccessCheck.COOKIE.equals(c.getName())) {
          return c.getValue();
        }
      }
      return null;
    }
  }

  /**
   * What {@code /api/fleet} answers: the fleet's fields, and the fallbacks seen in the jobs' events
   * (the heartbeats do not count them).
   */
  record FleetAnswer(
      @JsonUnwrapped FleetView.Fleet fleet,
      @JsonProperty("fallbacks") List<JobView.RouteMove> moves) {}

  /**
   * The job a request names. A tenant's viewer is answered about its own tenant's jobs only, so a
   * job of another tenant reads as absent (404), as it would in the tenant's own fleet.
   */
  private static JobView.JobKey key(Fields query, Viewer viewer) {
    String job = query.getValue("job");
    if (job == null || job.isBlank()) {
      throw new IllegalArgumentException("give the job: ?job=<job id>&tenant=<tenant>");
    }
    String tenant = query.getValue("tenant");
    if (!viewer.sees(tenant == null ? "" : tenant)) {
      tenant = Viewer.NOBODY;
    }
    return new JobView.JobKey(tenant, job);
  }

  private static int intParam(Fields query, String name, int otherwise) {
    String v = query.getValue(name);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number >= 0, but was " + v);
    }
  }

  private static boolean json(Response response, Callback callback, Object body)
      throws IOException {
    return bytes(response, callback, 200, JSON, Json.mapper().writeValueAsBytes(body));
  }

  static boolean text(Response response, Callback callback, int status, String body) {
    return bytes(response, callback, status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  static boolean bytes(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
