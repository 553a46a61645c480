package io.imagefleet.worker.config;

import java.time.Duration;
import java.util.List;

/**
 * What a worker does when the upstream cannot take work: jobs wait instead of failing.
 *
 * @param routeWait how long a job waits for any of its routes to come back before it fails with
 *     {@code upstream_unavailable}; while waiting it holds no thread and delays commits of its own
 *     partition only
 * @param probeInterval while spending is stopped (401, 402), how often one waiting job probes with
 *     a real submission
 */
public record OutageSettings(Duration routeWait, Duration probeInterval) {
  static final Key ROUTE_WAIT = Key.of("outage.route-wait", "10m");
  static final Key PROBE_INTERVAL = Key.of("outage.probe-interval", "30s");
  static final List<Key> KEYS = List.of(ROUTE_WAIT, PROBE_INTERVAL);

  public OutageSettings {
    Checks.positive(ROUTE_WAIT, routeWait);
    Checks.positive(PROBE_INTERVAL, probeInterval);
  }

  static OutageSettings from(ConfigReader r) {
    return new OutageSettings(r.duration(ROUTE_WAIT), r.duration(PROBE_INTERVAL));
  }
}
