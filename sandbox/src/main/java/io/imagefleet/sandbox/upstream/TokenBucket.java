package io.imagefleet.sandbox.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A gateway's rate limit on one API key (and, for creations, one model): a bucket holding one
 * second's worth of tokens (at least one), refilled continuously at the rate. A request takes a
 * token; a request that finds none is refused and takes nothing, so once a burst has emptied the
 * bucket every request is refused until the next token has grown back.
 *
 * <p>Kept in its equivalent "virtual scheduling" form (GCRA): instead of a fractional token count
 * it holds the instant at which the bucket will be full again, in whole nanoseconds, so the wait it
 * reports for a refused request is exact, not a rounding of floating-point tokens.
 *
 * <p>The rate is passed on each call rather than fixed at construction because it is a runtime knob
 * ({@link SimulatorKnobs#createsPerSecond()}): a changed rate applies from the next call, and a
 * lowered one also lowers what the bucket may hold.
 *
 * <p>Thread safe: every method holds the bucket's lock (one bucket per key and model, so handler
 * threads of different routes do not meet here). Time comes from the simulator's {@link Clock}, so
 * tests drive it with a mutable clock; a clock that steps back is taken as standing still.
 */
final class TokenBucket {

  private final Clock clock;
  private Instant latest = Instant.MIN;

  /** When the bucket will be full again: every token taken pushes it one interval further. */
  private Instant fullAt = Instant.MIN;

  TokenBucket(Clock clock) {
    this.clock = clock;
  }

  /**
   * Takes a token at {@code perSecond} tokens per second. Empty when a token was taken; otherwise
   * how long until one will be there (the request is refused and takes nothing).
   *
   * @param perSecond the rate, > 0
   */
  synchronized Optional<Duration> tryTake(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("perSecond must be > 0 and finite, but was " + perSecond);
    }
    long intervalNanos = Math.max(1, Math.round(1e9 / perSecond));
    // A full bucket may let this many intervals' worth through at once, beyond the one token taken.
    long toleranceNanos = Math.round((capacity(perSecond) - 1) * intervalNanos);
    Instant now = clock.instant();
    latest = now.isAfter(latest) ? now : latest;
    Instant start = fullAt.isAfter(latest) ? fullAt : latest;
    long aheadNanos = Duration.between(latest, start).toNanos();
    if (aheadNanos > toleranceNanos) {
      return Optional.of(Duration.ofNanos(aheadNanos - toleranceNanos));
    }
    fullAt = start.plusNanos(intervalNanos);
    return Optional.empty();
  }

  /** One second's worth of tokens, at least one: the burst a key may send after a quiet spell. */
  static double capacity(double perSecond) {
    return Math.max(1, perSecond);
  }
}
