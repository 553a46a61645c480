package io.imagefleet.worker.config;

import java.time.Duration;

/**
 * What a worker does when the upstream cannot take work: jobs wait instead of failing.
 *
 * @param routeWait     how long a job waits for any of its routes to come back before it fails
 *                      with {@code upstream_unavailable}; while waiting it holds no thread and delays
 *                      commits of its own partition only
 * @param probeInterval while spending is stopped (401, 402), how often one waiting job probes with a
 *                      real submission
 */
public record OutageSettings(Duration routeWait, Duration probeInterval) {
  public OutageSettings {
    Checks.positive("outage.route-wait", routeWait);
    Checks.positive("outage.probe-interval", probeInterval);
  }
}
