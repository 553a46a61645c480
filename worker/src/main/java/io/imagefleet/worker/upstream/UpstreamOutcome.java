package io.imagefleet.worker.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * The result of one upstream call as data: either the value or a classified failure. Calls never
 * complete exceptionally; {@link OutcomeClassifier} turns every status, error code, IO error and
 * timeout into a {@link Failure} in one place.
 */
public sealed interface UpstreamOutcome<T> {

  record Success<T>(T value) implements UpstreamOutcome<T> {}

  /**
   * @param kind what to do about it
   * @param code a stable code: the upstream's error code, or {@code http_503}, {@code timeout}...
   * @param message what happened, safe to show (never holds secrets)
   * @param httpStatus the HTTP status, 0 when no response arrived
   * @param retryAfter the upstream's {@code Retry-After}, when it sent one
   * @param fallbackSuggestion the gateway's {@code fallback_suggestion}, when it sent one (another
   *     model to try, or where to add credit)
   */
  record Failure<T>(
      FailureKind kind,
      String code,
      String message,
      int httpStatus,
      Optional<Duration> retryAfter,
      Optional<String> fallbackSuggestion)
      implements UpstreamOutcome<T> {

    public Failure(
        FailureKind kind,
        String code,
        String message,
        int httpStatus,
        Optional<Duration> retryAfter) {
      this(kind, code, message, httpStatus, retryAfter, Optional.empty());
    }

    /** A failure the route's breaker counts: the service's fault, not a request to slow down. */
    public boolean isTransient() {
      return kind == FailureKind.TRANSIENT;
    }

    /** Worth making the same call again later: the service's fault, or a request to slow down. */
    public boolean isRetryable() {
      return kind == FailureKind.TRANSIENT || kind == FailureKind.THROTTLED;
    }

    /**
     * This failure as the outcome of a step with another value type: a failure holds no value, so
     * it fits any.
     */
    @SuppressWarnings("unchecked")
    public <U> Failure<U> retyped() {
      return (Failure<U>) this;
    }
  }

  static <T> UpstreamOutcome<T> success(T value) {
    return new Success<>(value);
  }
}
