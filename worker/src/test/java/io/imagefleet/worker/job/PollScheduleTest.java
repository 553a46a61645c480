package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.config.PollingSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
  private final PollingSettings settings =
      new PollingSettings(
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          2.0,
          0.1,
          Duration.ofMinutes(15),
          Duration.ofSeconds(5));

  @Test
  void firstPollWaitsForTheEstimate() {
    assertThat(new PollSchedule(settings, () -> 0).first(Duration.ofSeconds(2)))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void firstPollOfALongTaskIsCappedSoProgressShows() {
    assertThat(new PollSchedule(settings, () -> 0).first(Duration.ofSeconds(100)))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void laterPollsJitterOnlyUpwardsAndUpToTheirFraction() {
    Duration d =
        new PollSchedule(settings, () -> 0.999)
            .next(Duration.ofSeconds(12), Duration.ofSeconds(10), 2);
    assertThat(d).isBetween(Duration.ofSeconds(4), Duration.ofMillis(4_400));
    assertThat(d).isGreaterThan(Duration.ofSeconds(4));
  }

  @Test
  void theFirstPollCarriesNoJitterSinceItInheritsTheCreationsSpread() {
    assertThat(new PollSchedule(settings, () -> 0.999).first(Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void followsTheRemainingEstimateBeforeItPasses() {
    var schedule = new PollSchedule(settings, () -> 0);
    assertThat(schedule.next(Duration.ofSeconds(30), Duration.ofSeconds(100), 0))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(schedule.next(Duration.ofSeconds(90), Duration.ofSeconds(100), 0))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void backsOffExponentiallyOnceTheEstimateHasPassed() {
    var schedule = new PollSchedule(settings, () -> 0);
    assertThat(schedule.next(Duration.ofSeconds(3), Duration.ofSeconds(2), 0))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(schedule.next(Duration.ofSeconds(4), Duration.ofSeconds(2), 1))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(schedule.next(Duration.ofSeconds(6), Duration.ofSeconds(2), 2))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(schedule.next(Duration.ofSeconds(600), Duration.ofSeconds(2), 20))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aFailedPollIsTriedAgainAfterTheMinimumDoubledPerFailureInARow() {
    var schedule = new PollSchedule(settings, () -> 0);
    Duration scheduled = Duration.ofSeconds(30);
    assertThat(schedule.afterFailures(scheduled, 1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(schedule.afterFailures(scheduled, 2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(schedule.afterFailures(scheduled, 4)).isEqualTo(Duration.ofSeconds(16));
    assertThat(schedule.afterFailures(scheduled, 5))
        .as("never later than the schedule's own next poll")
        .isEqualTo(scheduled);
    assertThat(schedule.afterFailures(Duration.ofSeconds(3), 2)).isEqualTo(Duration.ofSeconds(3));
    assertThat(schedule.afterFailures(scheduled, 1_000)).isEqualTo(scheduled);
  }
}
