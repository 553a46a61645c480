package io.imagefleet.bench;

/**
 * The simulated gateway's rate limits during a contender's measured batch (the simulator's token
 * buckets), in requests per second; 0 = unlimited.
 *
 * @param createsPerSecond task creations per API key and model
 * @param queriesPerSecond task queries per API key
 */
record UpstreamLimits(double createsPerSecond, double queriesPerSecond) {

  static final UpstreamLimits NONE = new UpstreamLimits(0, 0);

  UpstreamLimits {
    if (!(createsPerSecond >= 0) || !(queriesPerSecond >= 0)) {
      throw new IllegalArgumentException(
          "--creates-per-second and --queries-per-second must be >= 0 (0 = unlimited), but were "
              + createsPerSecond
              + " and "
              + queriesPerSecond);
    }
  }

  boolean isLimited() {
    return createsPerSecond > 0 || queriesPerSecond > 0;
  }
}
