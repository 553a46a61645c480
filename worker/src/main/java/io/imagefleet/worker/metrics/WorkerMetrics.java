package io.imagefleet.worker.metrics;

import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.events.EventObserver;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's own meters, fed by the {@link EventObserver} hook: jobs by status and route,
 * failures by code, spend per tenant and route, route fallbacks and dead letters; plus the
 * in-flight and partition gauges. Library meters (Kafka clients, breakers, JVM) are bound next to
 * it by {@link Operations}. Thread safe: Micrometer meters are; observer calls never throw.
 */
final class WorkerMetrics implements EventObserver {
  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);
  static final String NONE = "none";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";
  static final String OPENMETRICS = OPENMETRICS_MEDIA_TYPE + "; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final WorkerGauges gauges;

  /** Tenants whose gauges are registered: a tenant's appear once it first had work here. */
  private final Set<String> tenantsShown = ConcurrentHashMap.newKeySet();

  WorkerMetrics(String workerId, WorkerGauges gauges) {
    this.gauges = gauges;
    this.registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, new TraceExemplars());
    registry.config().commonTags("worker", workerId);
    Gauge.builder("imagefleet.jobs.in.flight", () -> gauges.inFlight().getAsInt())
        .description("Jobs this worker is running now")
        .register(registry);
    Gauge.builder("imagefleet.partitions.assigned", () -> gauges.assignedPartitions().getAsInt())
        .description("Partitions of the jobs topic this worker owns")
        .register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  /**
   * Every meter, in OpenMetrics when the scraper's {@code Accept} header asks for it (the only
   * format that carries exemplars, the trace ids of jobs behind the samples), else in Prometheus
   * text. Other formats (protobuf) are not offered: text is what every scraper takes.
   */
  Exposition scrape(String accept) {
    guarded(this::showNewTenants);
    String type =
        accept != null && accept.contains(OPENMETRICS_MEDIA_TYPE) ? OPENMETRICS : PROMETHEUS_TEXT;
    return new Exposition(type, registry.scrape(type));
  }

  /** A scrape's answer: its content type and body. */
  record Exposition(String contentType, String body) {}

  /**
   * Registers the per-tenant gauges of tenants seen since the last scrape. They stay registered (at
   * 0 when the tenant has nothing here), so a tenant's series does not come and go.
   */
  private void showNewTenants() {
    Set<String> seen = new TreeSet<>(gauges.inFlightByTenant().get().keySet());
    seen.addAll(gauges.waitingByTenant().get().keySet());
    for (String tenant : seen) {
      if (tenantsShown.add(tenant)) {
        Gauge.builder(
                "imagefleet.tenant.in.flight",
                () -> gauges.inFlightByTenant().get().getOrDefault(tenant, 0))
            .description(
                "Jobs of a tenant this worker is running now (tenant _shared: the shared jobs topic)")
            .tag("tenant", tenant)
            .register(registry);
        Gauge.builder(
                "imagefleet.tenant.waiting",
                () -> gauges.waitingByTenant().get().getOrDefault(tenant, 0))
            .description("Records of a tenant this worker has read and holds for a free slot")
            .tag("tenant", tenant)
            .register(registry);
      }
    }
  }

  @Override
  public void published(StatusEvent event) {
    guarded(
        () -> {
          String route = event.route() == null ? NONE : event.route();
          if (event.status()
              != JobStatus.RUNNING) { // RUNNING repeats within a job: not a job count
            Counter.builder("imagefleet.jobs")
                .description("Jobs that reached a status, by status and route")
                .tag("status", event.status().name())
                .tag("route", route)
                .register(registry)
                .increment();
          }
          if (event.status() == JobStatus.FAILED && event.error() != null) {
            Counter.builder("imagefleet.job.failures")
                .description("Failed jobs by route and error code")
                .tag("route", route)
                .tag("code", String.valueOf(event.error().code()))
                .register(registry)
                .increment();
          }
          if (event.costUsd() != null && event.costUsd().signum() > 0) {
            Counter.builder("imagefleet.spend")
                .baseUnit("usd")
                .description(
                    "Upstream spend in USD (from usage and the route's prices), by tenant and route")
                .tag("tenant", event.tenant() == null ? NONE : event.tenant())
                .tag("route", route)
                .register(registry)
                .increment(event.costUsd().doubleValue());
          }
          if (event.unconfirmedSubmissions() != null) {
            Counter.builder("imagefleet.unconfirmed.submissions")
                .description(
                    "Task creations whose answer never arrived: the upstream may have billed them, by tenant")
                .tag("tenant", event.tenant() == null ? NONE : event.tenant())
                .register(registry)
                .increment(event.unconfirmedSubmissions());
          }
        });
  }

  @Override
  public void fallback(String fromRoute, String toRoute, String reason) {
    guarded(
        () ->
            Counter.builder("imagefleet.route.fallbacks")
                .description("Jobs moved from one route to another")
                .tag("from", fromRoute)
                .tag("to", toRoute)
                .tag("reason", reasonCode(reason))
                .register(registry)
                .increment());
  }

  @Override
  public void deadLettered(String reason) {
    guarded(
        () ->
            Counter.builder("imagefleet.dead.letters")
                .description("Records sent to the dead-letter topic")
                .tag("reason", reason)
                .register(registry)
                .increment());
  }

  /**
   * A short tag value from a fallback reason such as {@code "gpt-image-1.5: route_unavailable;
   * gpt-image-1: breaker open"}: the first route's cause ({@code route_unavailable}), so tags stay
   * few.
   */
  static String reasonCode(String reason) {
    if (reason == null || reason.isBlank()) {
      return NONE;
    }
    String first = reason.split(";", 2)[0];
    String cause =
        first
            .substring(first.lastIndexOf(": ") + 1)
            .trim()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "_")
            .replaceAll("^_|_$", "");
    return cause.isEmpty() ? NONE : cause.length() > 40 ? cause.substring(0, 40) : cause;
  }

  /** A metrics bug must never reach the producer's thread or a job: log it once and go on. */
  private void guarded(Runnable update) {
    try {
      update.run();
    } catch (RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        log.warn("a metric could not be updated (further failures are not logged)", e);
      }
    }
  }

  void close() {
    registry.close();
  }
}
