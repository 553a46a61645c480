package io.imagefleet.worker.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.config.FairShareSettings;
import io.imagefleet.worker.config.FairShareSettings.TenantShare;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CreationPaceTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static CreationPace pace(double perSecond) {
    return new CreationPace(
        new FairShareSettings(
            true,
            0.5,
            1,
            Map.of(
                "slow",
                new TenantShare(1, false, OptionalInt.empty(), OptionalDouble.of(perSecond)))));
  }

  private static int startsAt(CreationPace pace, Instant now) {
    int started = 0;
    while (pace.mayStart("slow", now) && started < 1_000) {
      pace.started("slow", now);
      started++;
    }
    return started;
  }

  @Test
  void allowsOneSecondsWorthAtOnceThenTheRate() {
    CreationPace pace = pace(4);

    assertThat(startsAt(pace, T0)).isEqualTo(4);
    assertThat(startsAt(pace, T0.plusMillis(100))).isZero();
    assertThat(startsAt(pace, T0.plusMillis(250))).isEqualTo(1);
    assertThat(startsAt(pace, T0.plusSeconds(10)))
        .as("never more than a second's worth")
        .isEqualTo(4);
  }

  @Test
  void aRateBelowOnePerSecondAllowsOneStartAtATime() {
    CreationPace pace = pace(0.5);

    assertThat(startsAt(pace, T0)).isEqualTo(1);
    assertThat(startsAt(pace, T0.plus(Duration.ofMillis(1_900)))).isZero();
    assertThat(startsAt(pace, T0.plusSeconds(2))).isEqualTo(1);
  }

  @Test
  void lanesWithoutAPaceAreNeverHeld() {
    CreationPace pace = pace(1);

    assertThat(startsAt(pace, T0)).isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      pace.started("other", T0);
      pace.started(FairShare.SHARED_LANE, T0);
    }
    assertThat(pace.mayStart("other", T0)).isTrue();
    assertThat(pace.mayStart(FairShare.SHARED_LANE, T0)).isTrue();
  }
}
