package io.imagefleet.worker.metrics;

import io.imagefleet.worker.config.OpsSettings;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventObserver;
import io.imagefleet.worker.intake.KafkaClientProperties;
import io.imagefleet.worker.resilience.RouteTable;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything an operator sees of one worker, wired in one place: the Micrometer registry with the
 * worker's own meters ({@link #observer()} feeds them), the Kafka client, breaker and JVM meters;
 * liveness and readiness (the broker probe plus the checks the worker adds, such as stopped
 * spending); the HTTP endpoint; and the heartbeat on the workers topic.
 *
 * <p>Threads: two daemon "ops" threads run the broker probe and the heartbeat (so a heartbeat that
 * waits on Kafka never delays readiness), a small "ops-http" pool serves HTTP, and Micrometer's
 * Kafka binder refreshes on the same scheduler. Nothing here runs on the intake, job or producer
 * threads except the observer's meter updates.
 */
public final class Operations implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Operations.class);

  /**
   * How often the Kafka binders look for new client metrics (per-partition lag appears after
   * assignment).
   */
  private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(5);

  private final WorkerConfig config;
  private final OpsSettings settings;
  private final Clock clock;
  private final Instant startedAt;
  private final WorkerGauges gauges;
  private final WorkerMetrics metrics;
  private final RouteMetrics routes;
  private final ScheduledExecutorService scheduler;
  private final Admin admin;
  private final BrokerProbe broker;
  private final Health health;
  private final Heartbeat heartbeat;
  private final OpsServer server;
  private final URI url;
  private final List<AutoCloseable> binders = new ArrayList<>();

  /**
   * Builds the registry and binds the meters; binds the HTTP port (so a port in use stops the
   * worker before it takes jobs) but serves nothing until {@link #start()}.
   *
   * @param checks more readiness checks (e.g. spending stopped), besides the broker probe
   */
  public Operations(
      WorkerConfig config,
      Producer<byte[], byte[]> producer,
      Consumer<byte[], byte[]> consumer,
      RouteTable routeTable,
      WorkerGauges gauges,
      List<ReadinessCheck> checks,
      Clock clock) {
    this.config = config;
    this.settings = config.ops();
    this.clock = clock;
    this.startedAt = clock.instant();
    this.gauges = gauges;
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "ops-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Admin createdAdmin = null;
    try {
      this.metrics = new WorkerMetrics(config.workerId(), gauges);
      this.routes = new RouteMetrics(routeTable);
      routes.bindTo(metrics.registry());
      bindKafka(new KafkaClientMetrics(consumer, Tags.empty(), scheduler, KAFKA_METRICS_REFRESH));
      bindKafka(new KafkaClientMetrics(producer, Tags.empty(), scheduler, KAFKA_METRICS_REFRESH));
      new JvmMemoryMetrics().bindTo(metrics.registry());
      new JvmThreadMetrics().bindTo(metrics.registry());
      JvmGcMetrics gc = new JvmGcMetrics();
      gc.bindTo(metrics.registry());
      binders.add(gc);
      new ProcessorMetrics().bindTo(metrics.registry());
      new UptimeMetrics().bindTo(metrics.registry());

      createdAdmin =
          Admin.create(KafkaClientProperties.admin(config, "ops", settings.probeTimeout()));
      this.admin = createdAdmin;
      this.broker =
          new BrokerProbe(admin, config.kafka().bootstrapServers(), settings.probeTimeout());
      List<ReadinessCheck> all = new ArrayList<>();
      all.add(broker);
      all.addAll(checks);
      this.health = new Health(gauges.intakeRunning(), all);
      this.server = new OpsServer(settings, metrics::scrape, health, this::status);
      this.url =
          settings.advertisedUrl().orElseGet(() -> defaultUrl(settings.bind(), server.port()));
      this.heartbeat =
          new Heartbeat(
              producer,
              admin,
              settings.workersTopic(),
              config.workerId(),
              this::status,
              settings.probeTimeout());
    } catch (RuntimeException e) {
      // e.g. the port is taken: leave no thread or client behind
      scheduler.shutdownNow();
      closeAll(binders);
      if (createdAdmin != null) {
        createdAdmin.close(Duration.ZERO);
      }
      throw e;
    }
  }

  private void bindKafka(KafkaClientMetrics binder) {
    binder.bindTo(metrics.registry());
    binders.add(binder);
  }

  /** Serves the endpoint, starts probing the broker and, if enabled, the heartbeat. */
  public void start() {
    server.start();
    scheduler.scheduleWithFixedDelay(
        broker::probe, 0, settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    if (settings.heartbeatsEnabled()) {
      scheduler.scheduleWithFixedDelay(
          heartbeat::beat, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
    log.info(
        "ops endpoint of worker {} at {} (/metrics, /health/live, /health/ready, /status)",
        config.workerId(),
        url);
  }

  /** Feeds the worker's own meters: pass it to the event and dead-letter publishers. */
  public EventObserver observer() {
    return metrics;
  }

  /**
   * The endpoint's URL as advertised to others ({@code ops.advertised-url}, else host name and
   * port).
   */
  public URI url() {
    return url;
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.port();
  }

  /** This worker's status now: what {@code /status} answers and the heartbeat carries. */
  public WorkerStatus status() {
    List<String> reasons = health.notReadyReasons();
    return new WorkerStatus(
        config.workerId(),
        url.toString(),
        gauges.inFlight().getAsInt(),
        config.intake().maxInFlight(),
        gauges.assignedPartitions().getAsInt(),
        routes.breakerStates(),
        routes.lanes(),
        reasons.isEmpty(),
        reasons,
        startedAt,
        clock.instant(),
        gauges.inFlightByTenant().get(),
        gauges.waitingByTenant().get());
  }

  /** Marks the worker not ready from now on: it is draining for a stop. */
  public void stopping() {
    health.stopping();
  }

  /**
   * Stops the endpoint and the probes and removes this worker's heartbeat. Call before the producer
   * closes.
   */
  @Override
  public void close() {
    health.stopping();
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (settings.heartbeatsEnabled()) {
      heartbeat.farewell();
    }
    server.close();
    closeAll(binders);
    admin.close(Duration.ofSeconds(5));
    metrics.close();
  }

  private static void closeAll(List<AutoCloseable> closeables) {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing a meter binder failed", e);
      }
    }
  }

  private static URI defaultUrl(String bind, int port) {
    String host = bind;
    if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    }
    return URI.create("http://" + host + ":" + port);
  }
}
