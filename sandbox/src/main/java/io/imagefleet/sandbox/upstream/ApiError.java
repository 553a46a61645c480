package io.imagefleet.sandbox.upstream;

import java.util.OptionalInt;

/**
 * An HTTP error answer in the gateway's shape: {@code {"error":{"code","message","type","param"}}},
 * plus an optional {@code Retry-After}.
 */
record ApiError(
    int status,
    String code,
    String message,
    String type,
    String param,
    OptionalInt retryAfterSeconds) {

  static ApiError of(int status, String code, String message) {
    return new ApiError(status, code, message, typeFor(status), null, OptionalInt.empty());
  }

  static ApiError invalidRequest(String param, String message) {
    return new ApiError(400, "invalid_request", message, typeFor(400), param, OptionalInt.empty());
  }

  static ApiError fault(FaultKind kind, int retryAfterSeconds) {
    OptionalInt retryAfter =
        kind == FaultKind.RATE_LIMITED ? OptionalInt.of(retryAfterSeconds) : OptionalInt.empty();
    return new ApiError(
        kind.status(), kind.code(), kind.message(), typeFor(kind.status()), null, retryAfter);
  }

  ApiError withCode(String newCode) {
    return new ApiError(status, newCode, message, type, param, retryAfterSeconds);
  }

  ApiError withParam(String newParam) {
    return new ApiError(status, code, message, type, newParam, retryAfterSeconds);
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
