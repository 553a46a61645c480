package io.imagefleet.sandbox.upstream;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An HTTP error answer in the gateway's shape: {@code {"error":{"code","message","type","param"}}},
 * plus an optional {@code Retry-After} (whole seconds) and {@code retry-after-ms} (the exact wait,
 * as OpenAI-compatible gateways send it).
 */
record ApiError(
    int status,
    String code,
    String message,
    String type,
    String param,
    OptionalInt retryAfterSeconds,
    OptionalLong retryAfterMillis) {

  static ApiError of(int status, String code, String message) {
    return new ApiError(
        status, code, message, typeFor(status), null, OptionalInt.empty(), OptionalLong.empty());
  }

  static ApiError invalidRequest(String param, String message) {
    return new ApiError(
        400,
        "invalid_request",
        message,
        typeFor(400),
        param,
        OptionalInt.empty(),
        OptionalLong.empty());
  }

  /**
   * A scripted or random fault. Its 429 carries {@code Retry-After} alone, as many gateways send
   * it, so clients are also tested without {@code retry-after-ms}.
   */
  static ApiError fault(FaultKind kind, int retryAfterSeconds) {
    OptionalInt retryAfter =
        kind == FaultKind.RATE_LIMITED ? OptionalInt.of(retryAfterSeconds) : OptionalInt.empty();
    return new ApiError(
        kind.status(),
        kind.code(),
        kind.message(),
        typeFor(kind.status()),
        null,
        retryAfter,
        OptionalLong.empty());
  }

  /**
   * A request beyond a rate limit's bucket: 429 with the wait until its next token, in whole
   * seconds rounded up (at least 1, as RFC 9110's delay-seconds cannot say less) and in
   * milliseconds rounded up.
   */
  static ApiError rateLimited(Duration wait) {
    long millis = Math.max(1, (wait.toNanos() + 999_999) / 1_000_000);
    long seconds = Math.max(1, (millis + 999) / 1_000);
    FaultKind kind = FaultKind.RATE_LIMITED;
    return new ApiError(
        kind.status(),
        kind.code(),
        kind.message(),
        typeFor(kind.status()),
        null,
        OptionalInt.of((int) Math.min(Integer.MAX_VALUE, seconds)),
        OptionalLong.of(millis));
  }

  ApiError withCode(String newCode) {
    return new ApiError(status, newCode, message, type, param, retryAfterSeconds, retryAfterMillis);
  }

  ApiError withParam(String newParam) {
    return new ApiError(status, code, message, type, newParam, retryAfterSeconds, retryAfterMillis);
  }

  /** The {@code error.type} family of a status, in the style of OpenAI-compatible gateways. */
  private static String typeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "insufficient_quota";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 405 -> "invalid_request_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "api_error";
    };
  }
}
