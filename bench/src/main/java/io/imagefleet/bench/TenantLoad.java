package io.imagefleet.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run of the noisy-neighbour scenario publishes: {@code busyJobs} of the busy tenant at
 * once on its own jobs topic, then, {@code quietDelay} after the first of them, {@code quietJobs}
 * of {@code quietTenant} on its topic. When the quiet tenant is the busy one, the same load is one
 * tenant's.
 *
 * @param label names the run ({@code fair}, {@code one-tenant}, {@code fifo})
 * @param quietTenant who publishes the second batch
 * @param workerProperties extra worker keys of this run
 */
record TenantLoad(
    String label,
    String quietTenant,
    int busyJobs,
    int quietJobs,
    Duration quietDelay,
    Map<String, String> workerProperties) {

  static final String BUSY = "busy";
  static final String QUIET = "quiet";

  TenantLoad {
    workerProperties = Map.copyOf(workerProperties);
  }

  /** The tenants with a jobs topic in this run. */
  List<String> tenants() {
    return quietTenant.equals(BUSY) ? List.of(BUSY) : List.of(BUSY, quietTenant);
  }

  int jobs() {
    return busyJobs + quietJobs;
  }
}
