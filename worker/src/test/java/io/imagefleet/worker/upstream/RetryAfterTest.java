package io.imagefleet.worker.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void prefersTheExactMillisecondsOfOpenAiCompatibleGateways() {
    HttpFields headers = HttpFields.build().put("retry-after-ms", "250.5").put("Retry-After", "1");

    assertThat(RetryAfter.of(headers, CLOCK)).contains(Duration.ofNanos(250_500_000));
  }

  @Test
  void readsSecondsOrAnHttpDate() {
    assertThat(RetryAfter.of(HttpFields.build().put("Retry-After", "7"), CLOCK))
        .contains(Duration.ofSeconds(7));
    assertThat(
            RetryAfter.of(
                HttpFields.build().put("Retry-After", "Sun, 06 Dec 2026 10:01:00 GMT"), CLOCK))
        .contains(Duration.ofMinutes(1));
  }

  @Test
  void anUnreadableOrPastValueIsNoRequestToWait() {
    for (String value : new String[] {"soon", "-3", "", "Sun, 06 Dec 2026 09:00:00 GMT", "1e9"}) {
      assertThat(RetryAfter.of(HttpFields.build().put("Retry-After", value), CLOCK))
          .as(value)
          .isEqualTo(Optional.empty());
    }
    assertThat(RetryAfter.of(HttpFields.build().put("retry-after-ms", "NaN"), CLOCK)).isEmpty();
  }

  @Test
  void aHostileValueCannotParkARouteForDays() {
    assertThat(RetryAfter.of(HttpFields.build().put("Retry-After", "999999999999"), CLOCK))
        .contains(RetryAfter.MAX);
    assertThat(
            RetryAfter.of(
                HttpFields.build().put("Retry-After", "Fri, 31 Dec 2100 23:59:59 GMT"), CLOCK))
        .contains(RetryAfter.MAX);
    assertThat(RetryAfter.of(HttpFields.build().put("retry-after-ms", "1e12"), CLOCK)).isEmpty();
  }
}
