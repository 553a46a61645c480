package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IntakeRampTest {
  private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

  @Test
  void opensLinearlyFromTheFloorToTheCapOverTheRampUp() {
    IntakeRamp ramp = new IntakeRamp(512, 25, Duration.ofSeconds(2));
    assertThat(ramp.capAt(T0)).as("not started: nothing to ramp").isEqualTo(512);

    ramp.start(T0, 0);
    assertThat(ramp.capAt(T0)).isEqualTo(25);
    assertThat(ramp.capAt(T0.plusMillis(500))).isEqualTo(128);
    assertThat(ramp.capAt(T0.plusMillis(1999))).isEqualTo(512);
    assertThat(ramp.isRamping(T0.plusMillis(1999))).isTrue();
    assertThat(ramp.capAt(T0.plusSeconds(2))).isEqualTo(512);
    assertThat(ramp.isRamping(T0.plusSeconds(2))).isFalse();
    assertThat(ramp.capAt(T0.plusSeconds(60))).isEqualTo(512);
  }

  @Test
  void restartsWhenWorkComesAfterIdleness() {
    IntakeRamp ramp = new IntakeRamp(100, 5, Duration.ofSeconds(1));
    ramp.start(T0, 0);
    assertThat(ramp.capAt(T0.plusSeconds(5))).isEqualTo(100);

    ramp.start(T0.plusSeconds(5), 0);
    assertThat(ramp.capAt(T0.plusSeconds(5))).isEqualTo(5);
    assertThat(ramp.capAt(T0.plusMillis(5_500))).isEqualTo(50);
  }

  @Test
  void afterAPauseOnlyTheRestOfTheCapOpensGradually() {
    IntakeRamp ramp = new IntakeRamp(100, 5, Duration.ofSeconds(1));
    ramp.start(T0, 60);
    assertThat(ramp.capAt(T0)).as("the running jobs keep their slots").isEqualTo(60);
    assertThat(ramp.capAt(T0.plusMillis(500))).isEqualTo(80);
    assertThat(ramp.capAt(T0.plusSeconds(1))).isEqualTo(100);
  }

  @Test
  void aZeroRampUpOpensTheWholeCapAtOnce() {
    IntakeRamp ramp = new IntakeRamp(512, 25, Duration.ZERO);
    assertThat(ramp.capAt(T0)).isEqualTo(512);
    ramp.start(T0, 0);
    assertThat(ramp.capAt(T0)).isEqualTo(512);
    assertThat(ramp.isRamping(T0)).isFalse();
  }

  @Test
  void theFloorNeverExceedsTheCap() {
    IntakeRamp ramp = new IntakeRamp(3, 25, Duration.ofSeconds(1));
    ramp.start(T0, 0);
    assertThat(ramp.capAt(T0)).isEqualTo(3);
  }
}
