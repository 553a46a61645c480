package io.imagefleet.sandbox.upstream;

import java.util.Optional;

/**
 * A way a create or query call can go wrong on purpose: an HTTP error status, or no answer at all.
 */
enum FaultKind {
  INSUFFICIENT_QUOTA(402, "insufficient_quota", "Your credit balance is too low for this request."),
  RATE_LIMITED(429, "rate_limit_exceeded", "Rate limit reached for this model; retry later."),
  INTERNAL_ERROR(500, "internal_error", "The server had an error while processing your request."),
  BAD_GATEWAY(502, "bad_gateway", "Bad gateway."),
  SERVICE_UNAVAILABLE(503, "service_unavailable", "The service is temporarily unavailable."),
  /** The connection is held open and never answered. */
  HANG(0, null, null),
  /**
   * Create only: the task is created (and billed) as usual, but its answer never leaves: the
   * connection is held open. What a client sees when an answer is lost after the upstream accepted.
   */
  LOST(0, null, null);

  private final int status;
  private final String code;
  private final String message;

  FaultKind(int status, String code, String message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String message() {
    return message;
  }

  /** True for the faults that answer nothing at all. */
  boolean isSilent() {
    return status == 0;
  }

  /** Parses the value of a prompt marker: a status number, {@code hang} or {@code lost}. */
  static Optional<FaultKind> fromMarker(String text) {
    if ("hang".equals(text)) {
      return Optional.of(HANG);
    }
    if ("lost".equals(text)) {
      return Optional.of(LOST);
    }
    for (FaultKind kind : values()) {
      if (!kind.isSilent() && Integer.toString(kind.status).equals(text)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
