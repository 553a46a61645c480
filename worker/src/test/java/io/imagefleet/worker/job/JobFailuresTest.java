package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobFailuresTest {

  @ParameterizedTest
  @EnumSource(FailureKind.class)
  void theProducerMayRetryExactlyWhatAnotherRouteMightServe(FailureKind kind) {
    JobError error =
        JobFailures.toError(new Failure<>(kind, "some_code", "what happened", 0, Optional.empty()));
    assertThat(error.retryable()).isEqualTo(kind.worthAnotherRoute());
    assertThat(error.code()).isEqualTo("some_code");
    assertThat(error.message()).isEqualTo("what happened");
  }

  @Test
  void aDownloadTheWorkerRefusedKeepsItsCodeAndAnyOtherIsAFailedDownload() {
    Failure<Object> tooLarge =
        JobFailures.downloadFailed(
            1,
            new Failure<>(
                FailureKind.REJECTED,
                ErrorCodes.DOWNLOAD_TOO_LARGE,
                "too big",
                0,
                Optional.empty()));
    Failure<Object> refused =
        JobFailures.downloadFailed(
            0,
            new Failure<>(
                FailureKind.REJECTED,
                ErrorCodes.INVALID_UPSTREAM_RESULT,
                "private",
                0,
                Optional.empty()));
    Failure<Object> http =
        JobFailures.downloadFailed(
            2,
            new Failure<>(
                FailureKind.TRANSIENT,
                "download_http_503",
                "busy",
                503,
                Optional.of(Duration.ofSeconds(3))));

    assertThat(tooLarge.code()).isEqualTo(ErrorCodes.DOWNLOAD_TOO_LARGE);
    assertThat(tooLarge.message()).isEqualTo("image 1: too big");
    assertThat(refused.code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
    assertThat(http.code()).isEqualTo(ErrorCodes.IMAGE_DOWNLOAD_FAILED);
    assertThat(http.kind()).isEqualTo(FailureKind.TRANSIENT);
    assertThat(http.httpStatus()).isEqualTo(503);
    assertThat(http.retryAfter())
        .as("for the retry of the download")
        .contains(Duration.ofSeconds(3));
  }

  @Test
  void failuresTheRunDecidesCarryTheirCodeAndKind() {
    assertThat(JobFailures.noRouteWithin(Duration.ofMinutes(10), "a: http_503"))
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCodes.UPSTREAM_UNAVAILABLE);
              assertThat(f.kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(f.message())
                  .isEqualTo("no route could take the job within PT10M (a: http_503)");
            });
    assertThat(JobFailures.submissionUnconfirmed().kind()).isEqualTo(FailureKind.REJECTED);
    assertThat(JobFailures.callBudgetSpent(200).code()).isEqualTo("call_budget_spent");
    assertThat(JobFailures.generationTimeout("t-1", Duration.ofMinutes(15)).kind())
        .isEqualTo(FailureKind.TRANSIENT);
    assertThat(JobFailures.unusableImage(0, "bad").message()).isEqualTo("image 0: bad");
    assertThat(JobFailures.storageFailed(3).code()).isEqualTo(ErrorCodes.STORAGE_FAILED);
    assertThat(JobFailures.toError(JobFailures.submissionUnconfirmed()))
        .isEqualTo(JobFailures.unconfirmedError());
  }
}
