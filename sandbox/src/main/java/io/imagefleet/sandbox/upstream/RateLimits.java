package io.imagefleet.sandbox.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The gateway's rate limits as the simulator applies them: one creation bucket per API key and
 * model (the gateway's limits are per model) and one query bucket per API key, at the rates of the
 * current knobs (0 = unlimited). The simulator accepts a single API key, so "per key" is per
 * simulator and the creation buckets are keyed by model alone. Thread safe.
 */
final class RateLimits {

  private final Clock clock;
  private final ConcurrentMap<String, TokenBucket> createsByModel = new ConcurrentHashMap<>();
  private final TokenBucket queries;

  RateLimits(Clock clock) {
    this.clock = clock;
    this.queries = new TokenBucket(clock);
  }

  /** Empty when the creation may go on; otherwise the wait before the next one would be let in. */
  Optional<Duration> tryCreate(String model, SimulatorKnobs knobs) {
    if (knobs.createsPerSecond() == 0) {
      return Optional.empty();
    }
    return createsByModel
        .computeIfAbsent(model, m -> new TokenBucket(clock))
        .tryTake(knobs.createsPerSecond());
  }

  /** Empty when the query may go on; otherwise the wait before the next one would be let in. */
  Optional<Duration> tryQuery(SimulatorKnobs knobs) {
    if (knobs.queriesPerSecond() == 0) {
      return Optional.empty();
    }
    return queries.tryTake(knobs.queriesPerSecond());
  }
}
