package io.imagefleet.worker.tenant;

import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.worker.config.TenantSettings;
import java.util.Optional;
import java.util.Set;

/**
 * The tenants that have their own jobs topic, as the intake's consumer last saw them, and where
 * copies of their events and callback outcomes go. The intake replaces the set after every
 * rebalance (a new tenant's topic, matched by the subscription's pattern, causes one); event
 * publishers read it from any thread.
 *
 * <p>A tenant is listed only once every topic its copies go to exists: a record sent to a missing
 * topic would hold the transaction that carries it, and every other tenant's endings with it.
 */
public final class TenantDirectory {
  private final TenantSettings settings;
  private final Set<String> budgeted;
  private volatile Set<String> withTopics = Set.of();

  /** A directory for a fleet without budgets. */
  public TenantDirectory(TenantSettings settings) {
    this(settings, Set.of());
  }

  /**
   * @param budgeted the tenants with a budget ({@code budgets.<tenant>.*}): without {@code
   *     tenants.allowed}, the shared topic takes only them when there are any
   */
  public TenantDirectory(TenantSettings settings, Set<String> budgeted) {
    this.settings = settings;
    this.budgeted = Set.copyOf(budgeted);
  }

  public TenantTopics topics() {
    return settings.topics();
  }

  public TenantSettings settings() {
    return settings;
  }

  /** Called by the intake thread after a rebalance. */
  public void replace(Set<String> tenantsWithTopics) {
    withTopics = Set.copyOf(tenantsWithTopics);
  }

  /**
   * Whether the shared jobs topic takes {@code tenant} (a tenant with its own topic aside): the
   * tenants of {@code tenants.allowed} when it is set; else, once any tenant has a budget, the
   * tenants with one, so that a made-up tenant name never spends without a limit; else every
   * tenant, as a single-team setup expects.
   */
  public boolean allowedOnSharedTopic(String tenant) {
    if (!settings.allowed().isEmpty()) {
      return settings.allowed().contains(tenant);
    }
    return budgeted.isEmpty() || budgeted.contains(tenant);
  }

  /** Why the shared topic does not take a tenant, for the refusal's message. */
  public String sharedTopicRule() {
    return !settings.allowed().isEmpty()
        ? "not in tenants.allowed"
        : "without tenants.allowed, the shared topic takes only tenants with a budget";
  }

  /** Whether {@code tenant} publishes through a jobs topic of its own. */
  public boolean hasOwnTopic(String tenant) {
    return tenant != null && withTopics.contains(tenant);
  }

  /** The tenant's own events topic, when events are copied there. */
  public Optional<String> eventsCopyOf(String tenant) {
    return copying(tenant) ? Optional.of(settings.topics().events(tenant)) : Optional.empty();
  }

  /** The tenant's own callback-outcomes topic, when outcomes are copied there. */
  public Optional<String> callbacksCopyOf(String tenant) {
    return copying(tenant) ? Optional.of(settings.topics().callbacks(tenant)) : Optional.empty();
  }

  private boolean copying(String tenant) {
    return settings.eventsPerTenant() && hasOwnTopic(tenant);
  }
}
