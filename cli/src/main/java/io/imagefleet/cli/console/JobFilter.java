package io.imagefleet.cli.console;

import io.imagefleet.cli.console.JobView.JobSummary;
import io.imagefleet.contracts.JobStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which jobs a list shows: every criterion given must hold. {@code since} keeps the jobs whose last
 * event is that recent (the jobs that moved since), so a quiet old job leaves the list and a job
 * that moves again comes back.
 */
record JobFilter(
    Optional<String> tenant,
    Optional<JobStatus> status,
    Optional<String> route,
    Optional<Instant> since) {

  static final JobFilter ALL =
      new JobFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * From a request's parameters ({@code tenant}, {@code status}, {@code route}, {@code since} as an
   * ISO-8601 instant); blank ones are absent. Throws IllegalArgumentException naming the bad one.
   */
  static JobFilter of(Function<String, String> param) {
    return new JobFilter(
        given(param, "tenant"),
        given(param, "status").map(JobFilter::status),
        given(param, "route"),
        given(param, "since").map(JobFilter::instant));
  }

  /**
   * This filter as {@code viewer} may use it: a tenant's viewer lists its own tenant's jobs only;
   * empty when it asked for another tenant's.
   */
  Optional<JobFilter> seenBy(Viewer viewer) {
    if (viewer.isOperator()) {
      return Optional.of(this);
    }
    if (tenant.isPresent() && !viewer.sees(tenant.get())) {
      return Optional.empty();
    }
    return Optional.of(new JobFilter(viewer.tenant(), status, route, since));
  }

  boolean matches(JobSummary job) {
    return tenant.map(t -> t.equals(job.tenant())).orElse(true)
        && status.map(s -> s == job.status()).orElse(true)
        && route.map(r -> r.equals(job.route())).orElse(true)
        && since.map(s -> !job.updatedAt().isBefore(s)).orElse(true);
  }

  private static Optional<String> given(Function<String, String> param, String name) {
    return Optional.ofNullable(param.apply(name)).filter(v -> !v.isBlank());
  }

  private static JobStatus status(String name) {
    try {
      return JobStatus.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("no such status: " + name);
    }
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "since must be an ISO-8601 instant such as 2026-12-07T09:00:00Z, but was " + value);
    }
  }
}
