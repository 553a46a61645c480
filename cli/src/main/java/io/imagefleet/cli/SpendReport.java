package io.imagefleet.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Money;
import io.imagefleet.contracts.StatusEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spend per tenant and route, added up from terminal status events, and what cancellation saved:
 * the estimated cost of the jobs cancelled before submission (their FAILED {@code cancelled} events
 * carry it), unless a creation of theirs lost its answer and may have been paid. Delivery is at
 * least once, so a job attempt's repeated terminal event counts once (by job id and attempt).
 */
final class SpendReport {
  /** One tenant and route. */
  static final class Line {
    int succeeded;
    int failed;
    int images;
    BigDecimal costUsd = BigDecimal.ZERO;
    BigDecimal estimatedUsd = BigDecimal.ZERO;

    /**
     * Task creations whose answer never arrived: the upstream may have billed them on top of the
     * cost.
     */
    int unconfirmed;
  }

  private final String tenant;
  private final Instant since;
  private final Map<String, Map<String, Line>> lines = new TreeMap<>();
  private final Set<String> counted = new HashSet<>();

  /** Per tenant: jobs cancelled before submission, and their estimated cost. */
  private final Map<String, Saved> saved = new TreeMap<>();

  /** Jobs of one tenant that a cancel stopped before any task was created. */
  static final class Saved {
    int jobs;
    BigDecimal estimatedUsd = BigDecimal.ZERO;
  }

  /**
   * @param tenant only this tenant, or null for all; @param since only events at or after it, or
   *     null
   */
  SpendReport(String tenant, Instant since) {
    this.tenant = tenant;
    this.since = since;
  }

  void add(StatusEvent e) {
    if (!e.isTerminal()
        || (tenant != null && !tenant.equals(e.tenant()))
        || (since != null && e.occurredAt().isBefore(since))
        || !counted.add(e.jobId() + "/" + e.attempt())) {
      return;
    }
    Line line =
        lines
            .computeIfAbsent(String.valueOf(e.tenant()), t -> new TreeMap<>())
            .computeIfAbsent(e.route() == null ? "(none)" : e.route(), r -> new Line());
    line.unconfirmed += e.unconfirmedSubmissions() == null ? 0 : e.unconfirmedSubmissions();
    if (e.status() == JobStatus.SUCCEEDED) {
      line.succeeded++;
      line.images += e.images().size();
      line.costUsd = line.costUsd.add(summable(e.costUsd()));
      line.estimatedUsd = line.estimatedUsd.add(summable(e.estimatedCostUsd()));
    } else {
      line.failed++;
      if (e.isCancelledBeforeSubmission()
          && (e.unconfirmedSubmissions() == null || e.unconfirmedSubmissions() == 0)) {
        Saved s = saved.computeIfAbsent(String.valueOf(e.tenant()), t -> new Saved());
        s.jobs++;
        s.estimatedUsd = s.estimatedUsd.add(summable(e.estimatedCostUsd()));
      }
    }
  }

  Map<String, Saved> saved() {
    return saved;
  }

  /** The estimated cost of every job cancelled before submission. */
  BigDecimal savedTotal() {
    return saved.values().stream()
        .map(s -> s.estimatedUsd)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** One tenant and route, as {@code costs -o json} prints it (fields: docs/cli.md). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Row(
      String tenant,
      String route,
      int succeeded,
      int failed,
      int images,
      BigDecimal costUsd,
      BigDecimal estimatedCostUsd,
      int unconfirmedSubmissions) {}

  java.util.List<Row> rows() {
    java.util.List<Row> rows = new java.util.ArrayList<>();
    lines.forEach(
        (t, routes) ->
            routes.forEach(
                (r, l) ->
                    rows.add(
                        new Row(
                            t,
                            r,
                            l.succeeded,
                            l.failed,
                            l.images,
                            l.costUsd,
                            l.estimatedUsd,
                            l.unconfirmed))));
    return rows;
  }

  Map<String, Map<String, Line>> lines() {
    return lines;
  }

  BigDecimal total() {
    return lines.values().stream()
        .flatMap(m -> m.values().stream())
        .map(l -> l.costUsd)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  int unconfirmed() {
    return lines.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToInt(l -> l.unconfirmed)
        .sum();
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "%-24s %-20s %9s %7s %7s %12s %12s %11s%n",
            "TENANT",
            "ROUTE",
            "SUCCEEDED",
            "FAILED",
            "IMAGES",
            "COST_USD",
            "ESTIMATE_USD",
            "UNCONFIRMED"));
    lines.forEach(
        (t, routes) -> {
          BigDecimal tenantTotal = BigDecimal.ZERO;
          for (Map.Entry<String, Line> r : routes.entrySet()) {
            Line l = r.getValue();
            tenantTotal = tenantTotal.add(l.costUsd);
            b.append(
                String.format(
                    "%-24s %-20s %9d %7d %7d %12s %12s %11d%n",
                    t,
                    r.getKey(),
                    l.succeeded,
                    l.failed,
                    l.images,
                    Money.format(l.costUsd),
                    Money.format(l.estimatedUsd),
                    l.unconfirmed));
          }
          if (routes.size() > 1) {
            b.append(
                String.format(
                    "%-24s %-20s %9s %7s %7s %12s%n",
                    t, "(all routes)", "", "", "", Money.format(tenantTotal)));
          }
        });
    b.append(
        String.format("total: $%s across %d tenant(s)%n", Money.format(total()), lines.size()));
    if (!saved.isEmpty()) {
      b.append("cancelled before submission (nothing paid; SAVED_USD = their estimated cost):\n");
      saved.forEach(
          (t, s) ->
              b.append(
                  String.format(
                      "  %-24s %9d job(s) %12s%n", t, s.jobs, Money.format(s.estimatedUsd))));
      b.append(String.format("cancellation saved: $%s (estimated)%n", Money.format(savedTotal())));
    }
    if (unconfirmed() > 0) {
      b.append(
          String.format(
              "%d task creation(s) got no answer (UNCONFIRMED): the upstream may have billed them on "
                  + "top of this total; compare with the gateway's invoice%n",
              unconfirmed()));
    }
    return b.toString();
  }

  /** An amount no worker wrote (absent, or with an absurd exponent) counts as nothing. */
  private static BigDecimal summable(BigDecimal amount) {
    return amount != null && Money.isSummable(amount) ? amount : BigDecimal.ZERO;
  }
}
