package io.imagefleet.worker.callback;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a delivery's next attempt is due: the pauses of {@code callbacks.retry-schedule} (hours
 * long, after the Standard Webhooks recommendation), each spread by up to a fifth either way so
 * that the deliveries of one outage do not all come back at the same second, and never sooner than
 * the receiver's {@code Retry-After} asks (itself capped at the schedule's longest pause). The
 * schedule is bounded: after its last pause, one more attempt and the delivery has failed.
 */
final class RetrySchedule {
  private static final double JITTER = 0.2;

  private final List<Duration> pauses;
  private final Duration longest;
  private final DoubleSupplier random;

  RetrySchedule(List<Duration> pauses, DoubleSupplier random) {
    this.pauses = List.copyOf(pauses);
    this.longest = pauses.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    this.random = random;
  }

  /** Attempts in all: one more than the pauses. */
  int maxAttempts() {
    return pauses.size() + 1;
  }

  /**
   * The pause after {@code attempts} attempts have failed; empty when the schedule is used up.
   *
   * @param retryAfter what the receiver asked for, if anything
   */
  Optional<Duration> pauseAfter(int attempts, Optional<Duration> retryAfter) {
    if (attempts < 1 || attempts > pauses.size()) {
      return Optional.empty();
    }
    Duration planned = pauses.get(attempts - 1);
    long millis = Math.round(planned.toMillis() * (1 + JITTER * (2 * random.getAsDouble() - 1)));
    Duration pause = Duration.ofMillis(Math.max(0, millis));
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get().compareTo(longest) > 0 ? longest : retryAfter.get();
      pause = asked.compareTo(pause) > 0 ? asked : pause;
    }
    return Optional.of(pause);
  }

  /**
   * A {@code Retry-After} value, delay-seconds or an HTTP date; empty when absent or unreadable.
   */
  static Optional<Duration> retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
