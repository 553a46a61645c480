package io.imagefleet.worker.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per branch of {@link OutcomeClassifier}. */
class OutcomeClassifierTest {

  @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
  @CsvSource({
    "400, invalid_request,      REJECTED",
    "400, invalid_task_id,      REJECTED",
    "401, unauthorized,         STOP_SPENDING",
    "402, insufficient_quota,   STOP_SPENDING",
    "402, quota_exceeded,       STOP_SPENDING",
    "403, model_access_denied,  REJECTED",
    "404, task_not_found,       REJECTED",
    "408, '',                   TRANSIENT",
    "409, '',                   REJECTED",
    "429, rate_limit_exceeded,  THROTTLED",
    "500, internal_error,       TRANSIENT",
    "502, '',                   TRANSIENT",
    "503, service_unavailable,  TRANSIENT",
    "504, '',                   TRANSIENT"
  })
  void classifiesHttpAnswers(int status, String code, FailureKind expected) {
    var failure = OutcomeClassifier.fromHttp(status, code, null, Optional.empty());
    assertThat(failure.kind()).isEqualTo(expected);
    assertThat(failure.httpStatus()).isEqualTo(status);
    assertThat(failure.code()).isEqualTo(code.isEmpty() ? "http_" + status : code);
  }

  @Test
  void keepsRetryAfterOfA429() {
    var failure =
        OutcomeClassifier.fromHttp(
            429, "rate_limit_exceeded", "slow down", Optional.of(Duration.ofSeconds(3)));
    assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(failure.message()).isEqualTo("slow down");
  }

  @Test
  void aModelTheGatewayCannotServeWithAnotherSuggestedIsTheRoutesProblemNotTheJobs() {
    var failure =
        OutcomeClassifier.fromHttp(
            404, "model_not_found", "no such model", Optional.empty(), Optional.of("gpt-image-1"));

    assertThat(failure.kind()).isEqualTo(FailureKind.ROUTE_UNAVAILABLE);
    assertThat(failure.fallbackSuggestion()).contains("gpt-image-1");
    assertThat(OutcomeClassifier.fromHttp(404, "task_not_found", "gone", Optional.empty()).kind())
        .isEqualTo(FailureKind.REJECTED);
  }

  @ParameterizedTest(name = "task error {0} -> {1}")
  @CsvSource({
    "content_policy_violation,      REJECTED",
    "invalid_parameters,            REJECTED",
    "image_processing_error,        REJECTED",
    "image_dimension_mismatch,      REJECTED",
    "request_cancelled,             REJECTED",
    "generation_failed_no_content,  TRANSIENT",
    "service_error,                 TRANSIENT",
    "generation_timeout,            TRANSIENT",
    "resource_exhausted,            TRANSIENT",
    "service_unavailable,           TRANSIENT",
    "unknown_error,                 TRANSIENT",
    "a_code_nobody_documented,      TRANSIENT",
    "quota_exceeded,                STOP_SPENDING",
    "insufficient_quota,            STOP_SPENDING"
  })
  void classifiesTaskErrors(String code, FailureKind expected) {
    assertThat(OutcomeClassifier.fromTaskError(code, "x").kind()).isEqualTo(expected);
  }

  @Test
  void treatsATaskErrorWithoutCodeAsUnknownAndTransient() {
    var failure = OutcomeClassifier.fromTaskError(null, null);
    assertThat(failure.code()).isEqualTo("unknown_error");
    assertThat(failure.kind()).isEqualTo(FailureKind.TRANSIENT);
  }

  @Test
  void classifiesCallsWithoutAnAnswerAsTransient() {
    assertThat(
            OutcomeClassifier.fromThrowable(new SocketTimeoutException("Connect Timeout")).code())
        .isEqualTo("connect_timeout");
    assertThat(
            OutcomeClassifier.fromThrowable(new TimeoutException("Total timeout 30000 ms elapsed"))
                .code())
        .isEqualTo("timeout");
    assertThat(
            OutcomeClassifier.fromThrowable(new CompletionException(new IOException("reset")))
                .code())
        .isEqualTo("io_error");
    assertThat(OutcomeClassifier.fromThrowable(new IllegalArgumentException("bad json")).code())
        .isEqualTo("bad_response");
    assertThat(OutcomeClassifier.fromThrowable(new IOException("x")).kind())
        .isEqualTo(FailureKind.TRANSIENT);
  }

  @Test
  void anAnswerIsLostOnlyWhenTheRequestMayHaveReachedTheUpstream() {
    assertThat(
            OutcomeClassifier.answerLost(
                OutcomeClassifier.fromThrowable(
                    new TimeoutException("Total timeout 30000 ms elapsed"))))
        .isTrue();
    assertThat(
            OutcomeClassifier.answerLost(OutcomeClassifier.fromThrowable(new IOException("reset"))))
        .isTrue();
    assertThat(
            OutcomeClassifier.answerLost(
                OutcomeClassifier.fromThrowable(new IllegalArgumentException("bad json"))))
        .as("a garbled answer may hide an accepted task")
        .isTrue();
    assertThat(
            OutcomeClassifier.answerLost(
                OutcomeClassifier.fromThrowable(new SocketTimeoutException("Connect Timeout"))))
        .isFalse();
    assertThat(OutcomeClassifier.fromThrowable(new ConnectException("refused")).code())
        .isEqualTo("connect_failed");
    assertThat(
            OutcomeClassifier.answerLost(
                OutcomeClassifier.fromThrowable(new ConnectException("refused"))))
        .isFalse();
    assertThat(OutcomeClassifier.fromThrowable(new UnknownHostException("api.example")).code())
        .isEqualTo("connect_failed");
    assertThat(
            OutcomeClassifier.answerLost(
                OutcomeClassifier.fromHttp(503, "service_unavailable", "down", Optional.empty())))
        .as("an error status is an answer")
        .isFalse();
  }

  @Test
  void onlyTransientTroubleIsWorthAnotherRoute() {
    assertThat(FailureKind.TRANSIENT.worthAnotherRoute()).isTrue();
    assertThat(FailureKind.ROUTE_UNAVAILABLE.worthAnotherRoute()).isTrue();
    assertThat(FailureKind.REJECTED.worthAnotherRoute()).isFalse();
    assertThat(FailureKind.STOP_SPENDING.worthAnotherRoute()).isFalse();
  }
}
