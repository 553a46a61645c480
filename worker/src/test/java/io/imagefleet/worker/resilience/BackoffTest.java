package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.config.RetrySettings;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final RetrySettings settings =
      new RetrySettings(5, Duration.ofMillis(100), 2.0, Duration.ofMillis(1000));

  @Test
  void growsExponentiallyUpToTheCap() {
    Backoff atBound = new Backoff(settings, bound -> bound);
    assertThat(atBound.delayMillis(1, null)).isEqualTo(100);
    assertThat(atBound.delayMillis(2, null)).isEqualTo(200);
    assertThat(atBound.delayMillis(3, null)).isEqualTo(400);
    assertThat(atBound.delayMillis(5, null)).isEqualTo(1000);
  }

  @Test
  void usesFullJitterBetweenZeroAndTheBound() {
    Backoff atZero = new Backoff(settings, bound -> 0);
    assertThat(atZero.delayMillis(3, null)).isZero();
  }

  @Test
  void honoursRetryAfterWhenItAsksForLonger() {
    Backoff atZero = new Backoff(settings, bound -> 0);
    var limited =
        new Failure<Void>(
            FailureKind.TRANSIENT,
            "rate_limit_exceeded",
            "x",
            429,
            Optional.of(Duration.ofSeconds(2)));
    assertThat(atZero.delayMillis(1, limited)).isEqualTo(2000);
  }

  @Test
  void withoutJitterEveryDelayIsTheBound() {
    Backoff steady = Backoff.withoutJitter(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));
    assertThat(IntStream.rangeClosed(1, 7).mapToLong(n -> steady.delayMillis(n, null)).toArray())
        .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L);
  }
}
