package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local HTTP server that behaves like the upstream image gateway (its published API):
 * asynchronous tasks, Bearer auth, the documented error bodies, token usage, expiring result links
 * serving real PNGs, and faults on demand.
 *
 * <p>Why: a fleet in front of a slow, rate-limited, sometimes failing paid API can only be tested
 * honestly against something that is slow, rate-limited and failing in the same ways, on purpose
 * and repeatably, without spending money.
 *
 * <h2>Endpoints</h2>
 *
 * {@code POST /v1/images/generations}, {@code GET /v1/tasks/{id}} (Bearer {@link #apiKey()}),
 * {@code GET /files/{taskId}/{index}.png?expires=&sig=} (no key, expires {@code linkTtl} after task
 * creation), and the unauthenticated admin API ({@code GET /admin/stats}, {@code POST
 * /admin/reset}, {@code GET|POST /admin/faults}, {@code GET /admin/routes}, {@code POST
 * /admin/routes/{model}/down|up}). Because the admin API has no auth, the simulator binds to {@code
 * 127.0.0.1} unless told otherwise.
 *
 * <h2>Task lifecycle</h2>
 *
 * Computed lazily from the creation time and the task's planned duration on each query: no timer
 * per task. {@code pending} for the first 10%, then {@code processing} with rising progress, then
 * {@code completed} with {@code results} and token usage, or {@code failed} with {@code error}.
 *
 * <h2>Rate limits</h2>
 *
 * As a gateway limits each API key: a token bucket for creations per model and one for queries
 * ({@link SimulatorKnobs#createsPerSecond()}, {@link SimulatorKnobs#queriesPerSecond()}; 0 =
 * unlimited, the default), each holding one second's worth of requests. Beyond it every request is
 * refused with 429 {@code rate_limit_exceeded}, {@code Retry-After} (whole seconds, rounded up) and
 * {@code retry-after-ms} (exact) until the bucket has a token again: bursts of 429s, not the
 * independent ones of the random faults. The stats count the two kinds apart.
 *
 * <h2>Prompt markers (deterministic scripting for tests)</h2>
 *
 * A prompt may carry one or more markers {@code [sim:key=value,key=value]}; they stay part of the
 * prompt (counted in its tokens). Keys:
 *
 * <ul>
 *   <li>{@code create=<fault>x<N>}: the first N create calls carrying this exact prompt answer the
 *       fault, later ones succeed. Fault: {@code 402}, {@code 429}, {@code 500}, {@code 502},
 *       {@code 503} or {@code hang} (never answered), or for create only {@code lost} (the task is
 *       created and billed, but the answer never comes: a lost answer). {@code xN} defaults to
 *       {@code x1}. Example {@code [sim:create=503x2]}.
 *   <li>{@code query=<fault>x<N>}: the first N queries of each task made from this prompt answer
 *       the fault. Example {@code [sim:query=500x1]}.
 *   <li>{@code retry-after=<seconds>}: {@code Retry-After} of scripted 429s, e.g. {@code
 *       [sim:create=429x1,retry-after=1]}; default: the knobs' value.
 *   <li>{@code fail=<task error code>}: the task ends {@code failed} with that code, e.g. {@code
 *       [sim:fail=content_policy_violation]}.
 *   <li>{@code duration=<duration>}: the task's planned run time, e.g. {@code [sim:duration=3s]},
 *       {@code 500ms}, {@code 0s}.
 *   <li>{@code results=nohost|missing}: the completed task's result links lack their host ({@code
 *       http:///files/...}), or the last one is left out, e.g. {@code [sim:results=nohost]}.
 * </ul>
 *
 * A malformed marker is answered 400 {@code invalid_request} with {@code param: "prompt"}. Scripted
 * faults come after validation, model, quota and route checks, and before random faults.
 *
 * <h2>Threads</h2>
 *
 * Requests run on a small fixed pool ({@link SimulatorConfig#handlerThreads()}); delayed answers
 * are sent later from one scheduler thread, and hung calls are parked without a thread. All public
 * methods are thread-safe; knobs are swapped atomically.
 */
public final class UpstreamSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamSimulator.class);
  private static final int HANDLER_QUEUE = 1_024;

  /**
   * Two settings of the JDK's HTTP server that would put behaviour of its own between the worker
   * and the simulated gateway; the JDK reads them once, when its first server starts. Its sockets
   * do not set TCP_NODELAY, so a response written as headers then body waits up to 40 ms for the
   * client's delayed ACK; and it closes every idle keep-alive connection beyond 200 at once, so a
   * client keeping more (up to upstream.max-connections) meets connections closed under its next
   * request. Latency comes from the knobs only, and connections stay open as a gateway's do.
   */
  private static final Map<String, String> SERVER_PROPERTIES =
      Map.of(
          "sun.net.httpserver.nodelay", "true",
          "sun.net.httpserver.maxIdleConnections", "4096");

  static {
    SERVER_PROPERTIES.forEach(
        (key, value) -> {
          if (System.getProperty(key) == null) {
            System.setProperty(key, value);
          }
        });
  }

  private final SimulatorConfig config;
  private final HttpServer server;
  private final ThreadPoolExecutor handlerPool;
  private final ScheduledThreadPoolExecutor scheduler;
  private final URI baseUrl;
  private final AtomicReference<SimulatorKnobs> knobs;
  private final Routes routes;
  private final StatsCounters stats = new StatsCounters();
  private final FaultInjector faults;
  private final TaskStore store;
  private final PngImages images = new PngImages();
  private final HungExchanges hung;

  private UpstreamSimulator(SimulatorConfig config) throws IOException {
    this.config = config;
    this.knobs = new AtomicReference<>(config.knobs());
    this.routes = new Routes(SimModel.named(config.models()));
    Chance chance = new Chance(config.seed());
    this.faults = new FaultInjector(chance);
    this.store = new TaskStore(chance, config.creditsPerUsd());
    InetAddress bindAddress = InetAddress.getByName(config.bindHost());
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, config.port()), 256);
    this.baseUrl =
        URI.create("http://" + urlHost(bindAddress) + ":" + server.getAddress().getPort());
    this.handlerPool =
        new ThreadPoolExecutor(
            config.handlerThreads(),
            config.handlerThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(HANDLER_QUEUE),
            daemonThreads("upstream-sim-http"),
            // A full queue makes the accepting thread run the (never sleeping) handler:
            // back-pressure.
            new ThreadPoolExecutor.CallerRunsPolicy());
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("upstream-sim-delay"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.hung = new HungExchanges(scheduler, config.maxHang());

    ObjectMapper mapper = new ObjectMapper();
    ResultLinks links = new ResultLinks(baseUrl, config.linkTtl());
    TaskJson taskJson = new TaskJson(mapper, links, config.userGroup());
    Replies replies = new Replies(mapper, scheduler, stats, hung);
    ApiKeyCheck apiKey = new ApiKeyCheck(config.apiKey());
    RateLimits limits = new RateLimits(config.clock());
    CreateTaskHandler create =
        new CreateTaskHandler(
            mapper,
            apiKey,
            knobs::get,
            routes,
            limits,
            faults,
            chance,
            store,
            taskJson,
            stats,
            replies,
            config.clock());
    QueryTaskHandler query =
        new QueryTaskHandler(
            apiKey,
            knobs::get,
            limits,
            faults,
            chance,
            store,
            taskJson,
            stats,
            replies,
            config.clock());
    DownloadHandler download =
        new DownloadHandler(
            links, store, images, stats, replies, config.clock(), config.expiredLinkStatus());
    AdminHandler admin = new AdminHandler(mapper, new Controls(), replies);
    server.createContext("/", new SimulatorRouter(create, query, download, admin, replies));
    server.setExecutor(handlerPool);
  }

  /** Binds and starts a simulator; {@code port 0} picks a free port (see {@link #baseUrl()}). */
  public static UpstreamSimulator start(SimulatorConfig config) {
    Objects.requireNonNull(config, "config");
    try {
      UpstreamSimulator simulator = new UpstreamSimulator(config);
      simulator.server.start();
      LOG.info(
          "Upstream simulator listening on {} (models {})", simulator.baseUrl, config.models());
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the upstream simulator on " + config.bindHost() + ":" + config.port(),
          e);
    }
  }

  /**
   * Where the simulator listens, e.g. {@code http://127.0.0.1:41234}; the worker's upstream base
   * URL.
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The API key the simulator accepts. */
  public String apiKey() {
    return config.apiKey();
  }

  /** The start-up settings. */
  public SimulatorConfig config() {
    return config;
  }

  /** The current knobs. */
  public SimulatorKnobs knobs() {
    return knobs.get();
  }

  /** Changes the knobs atomically; returns the new value. */
  public SimulatorKnobs updateKnobs(UnaryOperator<SimulatorKnobs> change) {
    return knobs.updateAndGet(change);
  }

  public void setKnobs(SimulatorKnobs value) {
    knobs.set(Objects.requireNonNull(value, "knobs"));
  }

  public void setTaskDuration(DurationDistribution value) {
    updateKnobs(k -> k.withTaskDuration(value));
  }

  public void setCreateLatency(DurationDistribution value) {
    updateKnobs(k -> k.withCreateLatency(value));
  }

  public void setQueryLatency(DurationDistribution value) {
    updateKnobs(k -> k.withQueryLatency(value));
  }

  public void setCreateFaults(FaultRates value) {
    updateKnobs(k -> k.withCreateFaults(value));
  }

  public void setQueryFaults(FaultRates value) {
    updateKnobs(k -> k.withQueryFaults(value));
  }

  public void setTaskFailureRates(Map<String, Double> value) {
    updateKnobs(k -> k.withTaskFailureRates(value));
  }

  public void setQuotaExhausted(boolean value) {
    updateKnobs(k -> k.withQuotaExhausted(value));
  }

  /**
   * Sets the gateway's rate limits, in requests per second (0 = unlimited): creations per API key
   * and model, queries per API key. See {@link SimulatorKnobs#createsPerSecond()}.
   */
  public void setRateLimits(double createsPerSecond, double queriesPerSecond) {
    updateKnobs(
        k -> k.withCreatesPerSecond(createsPerSecond).withQueriesPerSecond(queriesPerSecond));
  }

  /**
   * Takes a route down: creates for this model answer 503 {@code service_unavailable} until {@link
   * #routeUp}.
   */
  public void routeDown(String model) {
    routes.setUp(model, false);
  }

  /** Brings a route back up. */
  public void routeUp(String model) {
    routes.setUp(model, true);
  }

  public boolean isRouteUp(String model) {
    return routes.isKnown(model) && routes.isUp(model);
  }

  /** A snapshot of the counters. */
  public SimulatorStats stats() {
    return stats.snapshot();
  }

  /** Clears the counters, and the per-prompt counts of scripted create faults. */
  public void resetStats() {
    stats.reset();
    faults.reset();
  }

  /**
   * When a task of this simulator started and how long it was planned to run; empty for an unknown
   * id.
   */
  public Optional<TaskTiming> taskTiming(String taskId) {
    return store.find(taskId).map(t -> new TaskTiming(t.id(), t.createdAt(), t.planned()));
  }

  /** Live tasks held (they are never evicted while the simulator runs). */
  public int taskCount() {
    return store.size();
  }

  /**
   * The hex SHA-256 of the bytes this simulator serves for a result URL from a completed task's
   * {@code results}; tests compare stored images against it. Works whether or not the link expired.
   *
   * @throws IllegalArgumentException if the URL is not a result of a task of this simulator
   */
  public String expectedSha256(String resultUrl) {
    URI url = URI.create(resultUrl);
    ResultLinks.Link link =
        ResultLinks.parse(url)
            .orElseThrow(() -> new IllegalArgumentException("not a result URL: " + resultUrl));
    SimTask task =
        store
            .find(link.taskId())
            .orElseThrow(
                () ->
                    new IllegalArgumentException("no task " + link.taskId() + " in " + resultUrl));
    if (link.index() >= task.request().n()) {
      throw new IllegalArgumentException(
          "task "
              + task.id()
              + " has "
              + task.request().n()
              + " results, not "
              + (link.index() + 1));
    }
    return images
        .image(task.request().size(), PngImages.variantFor(task.id(), link.index()))
        .sha256();
  }

  /** Drops hung calls, abandons delayed answers and stops listening. */
  @Override
  public void close() {
    hung.dropAll();
    scheduler.shutdownNow();
    server.stop(0);
    handlerPool.shutdownNow();
    LOG.info("Upstream simulator on {} closed", baseUrl);
  }

  private static String urlHost(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "127.0.0.1";
    }
    String host = address.getHostAddress();
    return address instanceof Inet6Address ? "[" + host + "]" : host;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The admin API's view of this simulator. */
  private final class Controls implements AdminHandler.Controls {
    @Override
    public SimulatorStats stats() {
      return UpstreamSimulator.this.stats();
    }

    @Override
    public void resetStats() {
      UpstreamSimulator.this.resetStats();
    }

    @Override
    public SimulatorKnobs knobs() {
      return UpstreamSimulator.this.knobs();
    }

    @Override
    public SimulatorKnobs updateKnobs(UnaryOperator<SimulatorKnobs> change) {
      return UpstreamSimulator.this.updateKnobs(change);
    }

    @Override
    public Routes routes() {
      return routes;
    }
  }
}
