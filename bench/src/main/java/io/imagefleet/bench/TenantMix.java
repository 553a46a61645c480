package io.imagefleet.bench;

import java.time.Duration;
import java.util.Map;

/**
 * The noisy-neighbour scenario's tenants (docs/benchmark.md): the scenario's batch is a busy
 * tenant's, published at once on its own jobs topic, and a quiet tenant publishes {@code quietJobs}
 * on its own topic {@code quietDelay} later. The load is measured with fair share on (the worker's
 * default), as one tenant's (the throughput it is compared with) and, if {@code fifoRun}, with
 * {@code fifoProperties} added to the workers' configuration: fair share off.
 *
 * @param quietJobs the quiet tenant's jobs; 0 for a scenario of one tenant on the shared topic
 * @param quietDelay from the busy tenant's first job to the quiet tenant's first
 * @param fifoRun also measure the two tenants with {@code fifoProperties}
 * @param fifoProperties the worker keys that turn fair share off
 */
record TenantMix(
    int quietJobs, Duration quietDelay, boolean fifoRun, Map<String, String> fifoProperties) {

  /** Every scenario but the noisy neighbour: one batch on the shared jobs topic. */
  static final TenantMix NONE = new TenantMix(0, Duration.ZERO, false, Map.of());

  /** What the FIFO run adds to the workers' configuration unless told otherwise. */
  static final Map<String, String> FAIR_SHARE_OFF = Map.of("tenants.fair-share", "false");

  TenantMix {
    if (quietJobs < 0) {
      throw new IllegalArgumentException("--quiet-jobs must be >= 0, but was " + quietJobs);
    }
    if (quietDelay.isNegative()) {
      throw new IllegalArgumentException("--quiet-delay must be >= 0, but was " + quietDelay);
    }
    fifoProperties = Map.copyOf(fifoProperties);
  }

  boolean isOn() {
    return quietJobs > 0;
  }

  /** The busy tenant's batch and the quiet tenant's, each on its own topic, fair share on. */
  TenantLoad fair(int busyJobs) {
    return new TenantLoad("fair", TenantLoad.QUIET, busyJobs, quietJobs, quietDelay, Map.of());
  }

  /** The same two batches, both the busy tenant's. */
  TenantLoad oneTenant(int busyJobs) {
    return new TenantLoad("one-tenant", TenantLoad.BUSY, busyJobs, quietJobs, quietDelay, Map.of());
  }

  /** The two tenants with fair share off. */
  TenantLoad fifo(int busyJobs) {
    return new TenantLoad(
        "fifo", TenantLoad.QUIET, busyJobs, quietJobs, quietDelay, fifoProperties);
  }
}
