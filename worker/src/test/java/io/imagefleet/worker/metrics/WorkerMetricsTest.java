package io.imagefleet.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.tracing.TraceContextCodec;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final WorkerMetrics metrics =
      new WorkerMetrics("w-1", new WorkerGauges(inFlight::get, () -> 3, () -> true));

  @Test
  void showsEachTenantsJobsInFlightAndRecordsWaitingOnceItHadAny() {
    Map<String, Integer> running = new ConcurrentHashMap<>(Map.of("team-a", 3, "_shared", 1));
    Map<String, Integer> waiting = new ConcurrentHashMap<>(Map.of("team-a", 20));
    WorkerMetrics tenants =
        new WorkerMetrics(
            "w-1",
            new WorkerGauges(
                inFlight::get,
                () -> 3,
                () -> true,
                () -> Map.copyOf(running),
                () -> Map.copyOf(waiting)));

    assertThat(tenants.scrape(null).body())
        .contains("imagefleet_tenant_in_flight{tenant=\"team-a\",worker=\"w-1\"} 3.0")
        .contains("imagefleet_tenant_in_flight{tenant=\"_shared\",worker=\"w-1\"} 1.0")
        .contains("imagefleet_tenant_waiting{tenant=\"team-a\",worker=\"w-1\"} 20.0")
        .contains("imagefleet_tenant_waiting{tenant=\"_shared\",worker=\"w-1\"} 0.0");

    running.remove("team-a");
    waiting.clear();
    assertThat(tenants.scrape(null).body())
        .as("a tenant with nothing here any more reads 0, its series stays")
        .contains("imagefleet_tenant_in_flight{tenant=\"team-a\",worker=\"w-1\"} 0.0")
        .contains("imagefleet_tenant_waiting{tenant=\"team-a\",worker=\"w-1\"} 0.0");
    tenants.close();
  }

  @Test
  void countsJobsByStatusAndRouteFromAcknowledgedEvents() {
    metrics.published(event(JobStatus.ACCEPTED, "gpt-image-1.5", null, null));
    metrics.published(event(JobStatus.RUNNING, "gpt-image-1.5", null, null));
    metrics.published(event(JobStatus.RUNNING, "gpt-image-1.5", null, null));
    metrics.published(
        event(JobStatus.SUCCEEDED, "gpt-image-1.5", new BigDecimal("0.091953"), null));
    metrics.published(
        event(JobStatus.FAILED, null, null, JobError.of("invalid_job", "bad", false)));

    assertThat(value("imagefleet.jobs", "status", "ACCEPTED", "route", "gpt-image-1.5"))
        .isEqualTo(1);
    assertThat(value("imagefleet.jobs", "status", "SUCCEEDED", "route", "gpt-image-1.5"))
        .isEqualTo(1);
    assertThat(value("imagefleet.jobs", "status", "FAILED", "route", "none")).isEqualTo(1);
    assertThat(metrics.registry().find("imagefleet.jobs").tag("status", "RUNNING").counter())
        .as("RUNNING repeats within one job, so it is not a job count")
        .isNull();
    assertThat(value("imagefleet.job.failures", "route", "none", "code", "invalid_job"))
        .isEqualTo(1);
  }

  @Test
  void addsUpSpendPerTenantAndRoute() {
    metrics.published(event(JobStatus.SUCCEEDED, "gpt-image-1.5", new BigDecimal("0.25"), null));
    metrics.published(event(JobStatus.SUCCEEDED, "gpt-image-1.5", new BigDecimal("0.50"), null));

    assertThat(
            metrics
                .registry()
                .get("imagefleet.spend")
                .tag("tenant", "catalog")
                .tag("route", "gpt-image-1.5")
                .counter()
                .count())
        .isEqualTo(0.75);
    assertThat(metrics.scrape(null).body())
        .contains(
            "imagefleet_spend_usd_total{route=\"gpt-image-1.5\",tenant=\"catalog\",worker=\"w-1\"} 0.75");
  }

  @Test
  void countsUnconfirmedSubmissionsPerTenant() {
    metrics.published(
        event(JobStatus.SUCCEEDED, "gpt-image-1.5", new BigDecimal("0.25"), null)
            .withUpstreamCalls(9, 2));
    metrics.published(
        event(JobStatus.SUCCEEDED, "gpt-image-1.5", new BigDecimal("0.25"), null)
            .withUpstreamCalls(4, 0));

    assertThat(metrics.scrape(null).body())
        .contains(
            "imagefleet_unconfirmed_submissions_total{tenant=\"catalog\",worker=\"w-1\"} 2.0");
  }

  @Test
  void countsFallbacksByRoutesAndShortReason() {
    metrics.fallback(
        "gpt-image-1.5",
        "gpt-image-1",
        "gpt-image-1.5: route_unavailable; gpt-image-x: breaker open");
    metrics.fallback("gpt-image-1.5", "gpt-image-1", "gpt-image-1.5: breaker open");

    assertThat(
            value(
                "imagefleet.route.fallbacks",
                "from",
                "gpt-image-1.5",
                "to",
                "gpt-image-1",
                "reason",
                "route_unavailable"))
        .isEqualTo(1);
    assertThat(
            value(
                "imagefleet.route.fallbacks",
                "from",
                "gpt-image-1.5",
                "to",
                "gpt-image-1",
                "reason",
                "breaker_open"))
        .isEqualTo(1);
  }

  @Test
  void countsDeadLettersByReason() {
    metrics.deadLettered("undecodable");
    metrics.deadLettered("undecodable");
    assertThat(value("imagefleet.dead.letters", "reason", "undecodable")).isEqualTo(2);
  }

  @Test
  void gaugesReadTheWorkerLive() {
    inFlight.set(7);
    assertThat(metrics.scrape(null).body())
        .contains("imagefleet_jobs_in_flight{worker=\"w-1\"} 7")
        .contains("imagefleet_partitions_assigned{worker=\"w-1\"} 3");
    inFlight.set(2);
    assertThat(metrics.scrape(null).body()).contains("imagefleet_jobs_in_flight{worker=\"w-1\"} 2");
  }

  @Test
  void reasonCodesStayShortAndFew() {
    assertThat(WorkerMetrics.reasonCode(null)).isEqualTo("none");
    assertThat(WorkerMetrics.reasonCode("route_unavailable")).isEqualTo("route_unavailable");
    assertThat(WorkerMetrics.reasonCode("gpt-image-1.5: Breaker Open")).isEqualTo("breaker_open");
  }

  private double value(String name, String... tags) {
    return metrics.registry().get(name).tags(tags).counter().count();
  }

  /**
   * Built from JSON, as readers see events, so the test does not track the record's constructor.
   */
  @Test
  void linksAJobsSamplesToItsTraceInOpenMetricsOnly() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    try (Scope job = TraceContextCodec.makeCurrent("00-" + traceId + "-00f067aa0ba902b7-01")) {
      metrics.published(event(JobStatus.SUCCEEDED, "gpt-image-1.5", new BigDecimal("0.04"), null));
    }
    try (Scope unsampled =
        TraceContextCodec.makeCurrent("00-" + "1".repeat(32) + "-00f067aa0ba902b7-00")) {
      metrics.published(event(JobStatus.FAILED, "gpt-image-1", null, null));
    }

    WorkerMetrics.Exposition open = metrics.scrape("application/openmetrics-text;version=1.0.0");
    assertThat(open.contentType()).isEqualTo(WorkerMetrics.OPENMETRICS);
    assertThat(open.body())
        .containsPattern(
            "imagefleet_jobs_total\\{route=\"gpt-image-1.5\",status=\"SUCCEEDED\",worker=\"w-1\"}"
                + " 1.0 # \\{span_id=\"00f067aa0ba902b7\",trace_id=\""
                + traceId
                + "\"}")
        .doesNotContain("1".repeat(32))
        .endsWith("# EOF\n");
    WorkerMetrics.Exposition text = metrics.scrape("text/plain");
    assertThat(text.contentType()).isEqualTo(WorkerMetrics.PROMETHEUS_TEXT);
    assertThat(text.body()).doesNotContain(traceId);
  }

  private static StatusEvent event(
      JobStatus status, String route, BigDecimal cost, JobError error) {
    ObjectNode json =
        Json.mapper()
            .createObjectNode()
            .put("schema_version", 1)
            .put("event_id", UUID.randomUUID().toString())
            .put("job_id", "job-1")
            .put("tenant", "catalog")
            .put("status", status.name())
            .put("attempt", 1)
            .put("occurred_at", "2026-11-24T09:00:00Z")
            .put("worker_id", "w-1");
    if (route != null) {
      json.put("route", route);
    }
    if (cost != null) {
      json.put("cost_usd", cost);
    }
    if (error != null) {
      json.set("error", Json.mapper().valueToTree(error));
    }
    return JobCodec.decodeEvent(json.toString().getBytes(StandardCharsets.UTF_8));
  }
}
