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
  private volatile Set<String> withTopics = Set.of();

  public TenantDirectory(TenantSettings settings) {
    this.settings = settings;
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
