package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imagefleet.bench.CapacityUse.Stay;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityUseTest {
  @Test
  void splitsTheCapacityIntoTasksFleetTimeRampUpAndDrain() {
    // Two slots over 12 ms: 24 slot-ms.
    CapacityUse use =
        CapacityUse.of(List.of(new Stay(1, 6, 4), new Stay(2, 7, 4), new Stay(6, 11, 4)), 2, 12);

    assertThat(use.upstream()).isEqualTo(12 / 24.0); // three 4 ms tasks
    assertThat(use.fleet()).isEqualTo(3 / 24.0); // each job stayed 5 ms for a 4 ms task
    assertThat(use.rampUp()).isEqualTo(3 / 24.0); // 2 slots free in [0,1), 1 in [1,2)
    assertThat(use.refill()).isZero(); // the slot freed at 6 was taken at 6
    assertThat(use.drain()).isEqualTo(6 / 24.0); // 1 slot free in [7,11), 2 in [11,12)
    assertThat(use.upstream() + use.fleet() + use.rampUp() + use.refill() + use.drain())
        .isCloseTo(1, within(1e-9));
  }

  @Test
  void aSlotThatStandsFreeBetweenJobsIsARefillGap() {
    CapacityUse use = CapacityUse.of(List.of(new Stay(0, 4, 3), new Stay(6, 10, 3)), 1, 10);

    assertThat(use.rampUp()).isZero();
    assertThat(use.refill()).isEqualTo(0.2);
    assertThat(use.drain()).isZero();
    assertThat(use.upstream()).isEqualTo(0.6);
    assertThat(use.fleet()).isEqualTo(0.2);
  }

  @Test
  void aBatchThatNeverFillsTheCapacityCountsItsWaitForJobsAsRampUp() {
    CapacityUse use = CapacityUse.of(List.of(new Stay(0, 5, 5), new Stay(2, 7, 5)), 4, 10);

    // Four slots over 10 ms: three free until the second job starts at 2, then nothing is left to
    // start.
    assertThat(use.rampUp()).isEqualTo(6 / 40.0);
    assertThat(use.refill()).isZero();
    assertThat(use.drain()).isEqualTo(24 / 40.0);
    assertThat(use.describe())
        .isEqualTo("upstream 25.0%, fleet 0.0%, ramp-up 15.0%, refill 0.0%, drain 60.0%");
  }
}
