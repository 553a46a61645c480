package io.imagefleet.contracts;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topics of one tenant, all under the prefix {@code <prefix><tenant>.} (by default {@code
 * imagefleet.tenant.team-a.}): its jobs ({@code jobs.v1}), its copies of status events ({@code
 * job-events.v1}), of callback outcomes ({@code callbacks.v1}) and its control requests ({@code
 * job-control.v1}). Tenant names hold no dot ({@link TenantName}), so one tenant's prefix never
 * covers another's topics, and no other topic of the fleet (the shared jobs topic, its dead-letter
 * topic {@code imagefleet.jobs.v1.dlq}) can look like a tenant's jobs topic. Kafka ACLs grant a
 * team its topics by these literal names, or all of them with one prefixed ACL on {@link #prefix}.
 *
 * @param base the part before the tenant, ending in a dot ({@value #DEFAULT_BASE} by default)
 */
public record TenantTopics(String base) {
  public static final String DEFAULT_BASE = "imagefleet.tenant.";

  static final String JOBS = "jobs.v1";
  static final String EVENTS = "job-events.v1";
  static final String CALLBACKS = "callbacks.v1";
  static final String CONTROL = "job-control.v1";

  public TenantTopics {
    if (base == null || base.isBlank() || !base.endsWith(".")) {
      throw new IllegalArgumentException("a tenant topics prefix must end in '.', but was " + base);
    }
  }

  public static TenantTopics defaults() {
    return new TenantTopics(DEFAULT_BASE);
  }

  /** Every topic of {@code tenant} starts with this. */
  public String prefix(String tenant) {
    return base + tenant + ".";
  }

  public String jobs(String tenant) {
    return prefix(tenant) + JOBS;
  }

  public String events(String tenant) {
    return prefix(tenant) + EVENTS;
  }

  public String callbacks(String tenant) {
    return prefix(tenant) + CALLBACKS;
  }

  public String control(String tenant) {
    return prefix(tenant) + CONTROL;
  }

  /** Matches every tenant's jobs topic, the tenant (canonical) as its first group. */
  public Pattern jobsPattern() {
    return pattern(JOBS);
  }

  /** Matches every tenant's control topic, the tenant (canonical) as its first group. */
  public Pattern controlPattern() {
    return pattern(CONTROL);
  }

  /** The tenant whose jobs topic {@code topic} is; empty for any other topic. */
  public Optional<String> tenantOfJobs(String topic) {
    return tenantOf(jobsPattern(), topic);
  }

  /** The tenant whose control topic {@code topic} is; empty for any other topic. */
  public Optional<String> tenantOfControl(String topic) {
    return tenantOf(controlPattern(), topic);
  }

  private Pattern pattern(String topic) {
    return Pattern.compile(
        Pattern.quote(base)
            + "([a-z0-9][a-z0-9-]{0,"
            + (TenantName.MAX_CHARS - 1)
            + "})\\."
            + Pattern.quote(topic));
  }

  private static Optional<String> tenantOf(Pattern pattern, String topic) {
    Matcher m = pattern.matcher(topic);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
