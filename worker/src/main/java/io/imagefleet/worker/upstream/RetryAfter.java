package io.imagefleet.worker.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;

/**
 * How long the upstream asked us to wait, from its answer's headers: {@code retry-after-ms} (sent
 * by OpenAI-compatible gateways, exact to the millisecond), else {@code Retry-After} as seconds or
 * as an HTTP date (RFC 9110). A value we cannot read, or one in the past, is no request to wait:
 * the route's own pace and backoff apply. Waits are capped, so a hostile or broken header cannot
 * park a route for days.
 */
final class RetryAfter {
  static final String MILLIS_HEADER = "retry-after-ms";
  static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  static Optional<Duration> of(HttpFields headers, Clock clock) {
    Optional<Duration> millis = millis(headers.get(MILLIS_HEADER));
    return millis.isPresent() ? millis : retryAfter(headers.get("Retry-After"), clock);
  }

  static Optional<Duration> millis(String header) {
    if (header == null) {
      return Optional.empty();
    }
    try {
      double ms = Double.parseDouble(header.trim());
      return ms >= 0 && ms <= MAX.toMillis()
          ? Optional.of(Duration.ofNanos((long) (ms * 1_000_000)))
          : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static Optional<Duration> retryAfter(String header, Clock clock) {
    if (header == null || header.isBlank() || header.length() > 64) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      return value.length() > 6
          ? Optional.of(MAX)
          : Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(value), MAX.toSeconds())));
    }
    try {
      Duration until =
          Duration.between(
              clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
      return until.isNegative() ? Optional.empty() : Optional.of(min(until, MAX));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
