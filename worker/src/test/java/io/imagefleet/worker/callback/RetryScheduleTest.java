package io.imagefleet.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private static final List<Duration> PAUSES =
      List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(10));

  @Test
  void followsTheScheduleAndEndsAfterItsLastPause() {
    RetrySchedule schedule = new RetrySchedule(PAUSES, () -> 0.5); // no spread
    assertThat(schedule.maxAttempts()).isEqualTo(4);
    assertThat(schedule.pauseAfter(1, Optional.empty())).contains(Duration.ofSeconds(5));
    assertThat(schedule.pauseAfter(2, Optional.empty())).contains(Duration.ofMinutes(5));
    assertThat(schedule.pauseAfter(3, Optional.empty())).contains(Duration.ofHours(10));
    assertThat(schedule.pauseAfter(4, Optional.empty())).isEmpty();
  }

  @Test
  void spreadsEachPauseByUpToAFifthEitherWay() {
    assertThat(new RetrySchedule(PAUSES, () -> 0.0).pauseAfter(2, Optional.empty()))
        .contains(Duration.ofMinutes(4));
    assertThat(new RetrySchedule(PAUSES, () -> 1.0).pauseAfter(2, Optional.empty()))
        .contains(Duration.ofMinutes(6));
  }

  @Test
  void waitsAtLeastWhatRetryAfterAsksCappedAtTheLongestPause() {
    RetrySchedule schedule = new RetrySchedule(PAUSES, () -> 0.5);
    assertThat(schedule.pauseAfter(1, Optional.of(Duration.ofMinutes(2))))
        .contains(Duration.ofMinutes(2));
    assertThat(schedule.pauseAfter(2, Optional.of(Duration.ofSeconds(1))))
        .contains(Duration.ofMinutes(5));
    assertThat(schedule.pauseAfter(1, Optional.of(Duration.ofDays(30))))
        .contains(Duration.ofHours(10));
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2026-12-06T21:00:00Z");
    assertThat(RetrySchedule.retryAfter("120", now)).contains(Duration.ofSeconds(120));
    assertThat(RetrySchedule.retryAfter("Sun, 06 Dec 2026 21:10:00 GMT", now))
        .contains(Duration.ofMinutes(10));
    assertThat(RetrySchedule.retryAfter("Sun, 06 Dec 2026 20:10:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(RetrySchedule.retryAfter("soon", now)).isEmpty();
    assertThat(RetrySchedule.retryAfter("-5", now)).isEmpty();
    assertThat(RetrySchedule.retryAfter(null, now)).isEmpty();
  }
}
