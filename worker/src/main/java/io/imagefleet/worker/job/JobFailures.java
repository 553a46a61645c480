package io.imagefleet.worker.job;

import io.imagefleet.contracts.Cancellation;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The failures a job run decides itself, beside those classified from the upstream's answers: one
 * factory per condition, so that a code, its kind and its message are written once. A failure
 * becomes the job's error in {@link #toError}.
 */
final class JobFailures {
  /** Downloads the worker itself refused keep their code; any other failed download is one code. */
  private static final Set<String> REFUSED_DOWNLOADS =
      Set.of(ErrorCodes.DOWNLOAD_TOO_LARGE, ErrorCodes.INVALID_UPSTREAM_RESULT);

  private JobFailures() {}

  /**
   * The job's error for {@code failure}. A failure that another route might serve is one a new
   * attempt might too, so the producer is told it may retry: the same rule decides both.
   */
  static JobError toError(Failure<?> failure) {
    return JobError.of(failure.code(), failure.message(), failure.kind().worthAnotherRoute());
  }

  static JobError unconfirmedError() {
    return JobError.of(
        ErrorCodes.SUBMISSION_UNCONFIRMED,
        "a task creation got no answer, so the upstream may have "
            + "accepted and billed it; the fleet is set not to risk paying twice (upstream.unconfirmed-submission=fail)",
        false);
  }

  static <T> Failure<T> submissionUnconfirmed() {
    return of(
        FailureKind.REJECTED, ErrorCodes.SUBMISSION_UNCONFIRMED, unconfirmedError().message());
  }

  static <T> Failure<T> noRouteWithin(Duration wait, String reason) {
    return of(
        FailureKind.TRANSIENT,
        ErrorCodes.UPSTREAM_UNAVAILABLE,
        "no route could take the job within " + wait + " (" + reason + ")");
  }

  static <T> Failure<T> handedOver() {
    return of(
        FailureKind.REJECTED, "handed_over", "the job was handed over before its task was created");
  }

  /** The error of an attempt a cancel request stopped before any task was created. */
  static JobError cancelled(Cancellation note) {
    return JobError.of(
        ErrorCodes.CANCELLED,
        "cancelled by request "
            + note.requestId()
            + " before any task was created; nothing was paid"
            + (note.reason() == null || note.reason().isBlank() ? "" : " (" + note.reason() + ")"),
        false);
  }

  /** What a creation the cancel gate refused answers; never published (the job has ended). */
  static <T> Failure<T> stoppedBeforeCreation() {
    return of(
        FailureKind.REJECTED,
        ErrorCodes.CANCELLED,
        "the job was stopped (cancelled or handed over) before its task was created");
  }

  static <T> Failure<T> callBudgetSpent(int maxCalls) {
    return of(
        FailureKind.REJECTED,
        "call_budget_spent",
        "the job used its budget of " + maxCalls + " upstream calls");
  }

  static <T> Failure<T> generationTimeout(String taskId, Duration timeout) {
    return of(
        FailureKind.TRANSIENT,
        "generation_timeout",
        "task " + taskId + " did not finish within " + timeout);
  }

  /** Image {@code index} could not be downloaded. */
  static <T> Failure<T> downloadFailed(int index, Failure<?> download) {
    String code =
        REFUSED_DOWNLOADS.contains(download.code())
            ? download.code()
            : ErrorCodes.IMAGE_DOWNLOAD_FAILED;
    // Retry-After is kept: the retry of the download honours it.
    return new Failure<>(
        download.kind(),
        code,
        "image " + index + ": " + download.message(),
        download.httpStatus(),
        download.retryAfter());
  }

  /** Image {@code index} was downloaded but is not the image the job asked for. */
  static <T> Failure<T> unusableImage(int index, String why) {
    return of(
        FailureKind.TRANSIENT, ErrorCodes.IMAGE_DOWNLOAD_FAILED, "image " + index + ": " + why);
  }

  static <T> Failure<T> storageFailed(int index) {
    return of(
        FailureKind.TRANSIENT,
        ErrorCodes.STORAGE_FAILED,
        "image " + index + " could not be stored");
  }

  private static <T> Failure<T> of(FailureKind kind, String code, String message) {
    return new Failure<>(kind, code, message, 0, Optional.empty());
  }
}
