package io.imagefleet.worker.config;

import java.util.List;

/**
 * How the fleet paces its calls to the upstream, which limits each API key's request rate and
 * answers 429 beyond it. Creations on each route and queries (polls) are paced separately; each
 * pace is a fleet-wide rate shared on the route-health topic, of which each worker takes its part
 * by the number of live workers.
 *
 * @param adaptive whether 429s cut a pace and quiet spells raise it again (additive increase,
 *     multiplicative decrease); when off, a route's creations keep {@code routes.N.rate-limit} (or
 *     no limit) and a 429 only pauses the lane for its {@code Retry-After}
 * @param initialCreatesPerSecond the fleet-wide creation rate a route without {@code
 *     routes.N.rate-limit} starts from; it doubles every second until the first 429 (slow start)
 * @param cutFactor a 429 multiplies the fleet's rate by this (in slow start, the rate goes back to
 *     the one before the last doubling)
 * @param increasePerSecond after the first 429, each quiet second with work waiting raises the rate
 *     by this share of itself
 * @param sharedLimit whether the gateway counts queries and creations against one limit: then a 429
 *     on a query also cuts and pauses creations, so paid tasks keep being polled and new creations
 *     get what the polls leave
 */
public record RateSettings(
    boolean adaptive,
    double initialCreatesPerSecond,
    double cutFactor,
    double increasePerSecond,
    boolean sharedLimit) {
  static final Key ADAPTIVE = Key.of("rate.adaptive", "true");
  static final Key INITIAL_CREATES_PER_SECOND = Key.of("rate.initial-creates-per-second", "4");
  static final Key CUT_FACTOR = Key.of("rate.cut-factor", "0.92");
  static final Key INCREASE_PER_SECOND = Key.of("rate.increase-per-second", "0.02");
  static final Key SHARED_LIMIT = Key.of("rate.shared-limit", "false");
  static final List<Key> KEYS =
      List.of(ADAPTIVE, INITIAL_CREATES_PER_SECOND, CUT_FACTOR, INCREASE_PER_SECOND, SHARED_LIMIT);

  public RateSettings {
    Checks.between(INITIAL_CREATES_PER_SECOND, 0.01, 1_000_000, initialCreatesPerSecond);
    Checks.between(CUT_FACTOR, 0.1, 0.99, cutFactor);
    Checks.between(INCREASE_PER_SECOND, 0.001, 1, increasePerSecond);
  }

  public static RateSettings defaults() {
    return new RateSettings(true, 4, 0.92, 0.02, false);
  }

  static RateSettings from(ConfigReader r) {
    return new RateSettings(
        r.bool(ADAPTIVE),
        r.decimal(INITIAL_CREATES_PER_SECOND),
        r.decimal(CUT_FACTOR),
        r.decimal(INCREASE_PER_SECOND),
        r.bool(SHARED_LIMIT));
  }
}
