package io.imagefleet.worker.upstream;

import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The one mapping from what the upstream did to what the fleet does. Every branch says why; tests
 * cover each row. Permanent failures are never {@link FailureKind#TRANSIENT}, so they never trip a
 * breaker and never start a retry storm.
 */
public final class OutcomeClassifier {

  /** Task error codes that are the request's fault: retrying the same request cannot succeed. */
  static final Set<String> REQUEST_FAULT_TASK_CODES =
      Set.of(
          "content_policy_violation",
          "invalid_parameters",
          "image_processing_error",
          "image_dimension_mismatch",
          "request_cancelled");

  /** Task error codes that mean the account cannot pay: stop spending. */
  static final Set<String> MONEY_TASK_CODES = Set.of("quota_exceeded", "insufficient_quota");

  private static final String CONNECT_TIMEOUT = "connect_timeout";
  private static final String CONNECT_FAILED = "connect_failed";

  private OutcomeClassifier() {}

  /** Classifies an HTTP error answer (status >= 400) with its body error code, if any. */
  public static <T> Failure<T> fromHttp(
      int status, String code, String message, Optional<Duration> retryAfter) {
    return fromHttp(status, code, message, retryAfter, Optional.empty());
  }

  /**
   * Classifies an HTTP error answer (status >= 400) with its body error code and the gateway's
   * {@code fallback_suggestion}, if any.
   */
  public static <T> Failure<T> fromHttp(
      int status,
      String code,
      String message,
      Optional<Duration> retryAfter,
      Optional<String> fallbackSuggestion) {
    String c = code == null || code.isBlank() ? "http_" + status : code;
    String m = message == null || message.isBlank() ? "upstream answered HTTP " + status : message;
    // A model the gateway cannot serve (404 with another model suggested) is this route's problem,
    // not the job's: let the job move to another route.
    FailureKind kind =
        status == 404 && fallbackSuggestion.isPresent()
            ? FailureKind.ROUTE_UNAVAILABLE
            : kindOf(status);
    return new Failure<>(kind, c, m, status, retryAfter, fallbackSuggestion);
  }

  private static FailureKind kindOf(int status) {
    return switch (status) {
      // 401: a bad or missing key, every call would fail the same way. 402: insufficient_quota /
      // quota_exceeded, retrying spends nothing but fails.
      case 401, 402 -> FailureKind.STOP_SPENDING;
      // model_access_denied / permission_denied: this request is not allowed.
      case 403 -> FailureKind.REJECTED;
      // task_not_found: the task is gone, polling again cannot find it.
      case 404 -> FailureKind.REJECTED;
      // A request timeout in front of the gateway.
      case 408 -> FailureKind.TRANSIENT;
      // rate_limit_exceeded: the upstream asks to slow down; nothing is broken.
      case 429 -> FailureKind.THROTTLED;
      // internal_error, 502/503 from a proxy: the service's fault. Other 4xx (400
      // invalid_request / invalid_task_id...): our request is wrong.
      default -> status >= 500 ? FailureKind.TRANSIENT : FailureKind.REJECTED;
    };
  }

  /** Classifies the {@code error.code} of a task that ended {@code failed}. */
  public static <T> Failure<T> fromTaskError(String code, String message) {
    String c = code == null || code.isBlank() ? "unknown_error" : code;
    String m = message == null ? "task failed: " + c : message;
    FailureKind kind;
    if (REQUEST_FAULT_TASK_CODES.contains(c)) {
      kind = FailureKind.REJECTED; // the request's fault: never retry as is
    } else if (MONEY_TASK_CODES.contains(c)) {
      kind = FailureKind.STOP_SPENDING; // money: retrying does not help, stop spending
    } else {
      kind =
          FailureKind.TRANSIENT; // generation_failed_no_content, service_error, generation_timeout,
      // resource_exhausted, service_unavailable, unknown_error and codes
      // we do not know yet: the service's fault, retry later
    }
    return new Failure<>(kind, c, m, 0, Optional.empty());
  }

  /**
   * True when a call got no usable answer although its request may have reached the upstream (it
   * timed out, its connection broke, or the answer was garbled): for a task creation, the upstream
   * may have accepted, and billed, a task the fleet never learns about. A call that never connected
   * reached nothing.
   */
  public static boolean answerLost(Failure<?> failure) {
    return failure.httpStatus() == 0
        && failure.kind() == FailureKind.TRANSIENT
        && !failure.code().equals(CONNECT_TIMEOUT)
        && !failure.code().equals(CONNECT_FAILED);
  }

  /** Classifies a call that got no HTTP answer. */
  public static <T> Failure<T> fromThrowable(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    // The HTTP client (Jetty) reports a connect timeout as SocketTimeoutException, and a call's
    // total
    // or idle timeout as TimeoutException.
    if (e instanceof SocketTimeoutException) {
      return transientFailure(
          CONNECT_TIMEOUT, "connecting to the upstream timed out"); // host down or overloaded
    }
    if (e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof UnresolvedAddressException) {
      return transientFailure(
          CONNECT_FAILED, "connecting to the upstream failed: " + e.getClass().getSimpleName());
    }
    if (e instanceof TimeoutException) {
      return transientFailure("timeout", "the upstream did not answer in time"); // hung connection
    }
    if (e instanceof IOException) {
      return transientFailure(
          "io_error",
          "connection to the upstream failed: " + e.getClass().getSimpleName()); // reset, refused
    }
    // A malformed answer (unparseable JSON) is treated as transient: proxies sometimes serve HTML
    // error pages.
    return transientFailure(
        "bad_response", "unexpected answer from the upstream: " + e.getClass().getSimpleName());
  }

  private static <T> Failure<T> transientFailure(String code, String message) {
    return new Failure<>(FailureKind.TRANSIENT, code, message, 0, Optional.empty());
  }
}
