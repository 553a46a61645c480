package io.imagefleet.worker.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultCheckTest {

  @Test
  void passesExactlyNHttpLinksWithAHost() {
    UpstreamOutcome<List<URI>> checked =
        ResultCheck.check(
            completed("https://cdn.example.com/a.png?sig=1", "http://cdn.example.com:8080/b.png"),
            2);
    assertThat(checked).isInstanceOf(Success.class);
    assertThat(((Success<List<URI>>) checked).value())
        .containsExactly(
            URI.create("https://cdn.example.com/a.png?sig=1"),
            URI.create("http://cdn.example.com:8080/b.png"));
  }

  @Test
  void failsWhenTheCountIsNotN() {
    assertInvalid(
        ResultCheck.check(completed("https://cdn.example.com/a.png"), 2),
        "1 result link(s), but 2");
    assertInvalid(
        ResultCheck.check(
            completed("https://c.example/a", "https://c.example/b", "https://c.example/c"), 2),
        "3 result link(s), but 2");
  }

  @Test
  void keepsTheEarlierCodeForATaskWithoutResults() {
    Failure<List<URI>> failure = (Failure<List<URI>>) ResultCheck.check(completed(), 1);
    assertThat(failure.code()).isEqualTo("generation_failed_no_content");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http:///files/t/0.png",
        "/files/t/0.png",
        "file:///etc/passwd",
        "ftp://cdn.example.com/a",
        "https://",
        "not a url at all",
        "http://bad host/x",
        "javascript:alert(1)",
        "http://a_b.example/x",
        ""
      })
  void failsALinkThatIsNotAnHttpUrlWithAHost(String link) {
    Failure<List<URI>> failure =
        assertInvalid(
            ResultCheck.check(completed("https://cdn.example.com/a.png", link), 2),
            "result link 1 of 2 is not an http(s) URL with a host");
    if (!link.isEmpty()) {
      assertThat(failure.message()).as("the link itself is never echoed").doesNotContain(link);
    }
  }

  @Test
  void anUnusableResultIsAFailureNotAnExceptionAndIsNotRetryable() {
    Failure<List<URI>> failure = (Failure<List<URI>>) ResultCheck.check(completed("http:///x"), 1);
    assertThat(failure.kind()).isEqualTo(FailureKind.REJECTED);
    assertThat(failure.httpStatus()).isZero();
  }

  private static Failure<List<URI>> assertInvalid(
      UpstreamOutcome<List<URI>> checked, String message) {
    assertThat(checked).isInstanceOf(Failure.class);
    Failure<List<URI>> failure = (Failure<List<URI>>) checked;
    assertThat(failure.code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
    assertThat(failure.message()).contains(message);
    return failure;
  }

  private static UpstreamTask completed(String... links) {
    return new UpstreamTask(
        "task-1", TaskState.COMPLETED, 100, Duration.ZERO, List.of(links), null, null, null);
  }
}
