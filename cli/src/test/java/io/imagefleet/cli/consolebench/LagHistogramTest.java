package io.imagefleet.cli.consolebench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LagHistogramTest {
  @Test
  void givesNearestRankPercentilesAndTheMaximum() {
    LagHistogram lags = new LagHistogram();
    for (int ms = 1; ms <= 100; ms++) {
      lags.record(ms);
    }

    assertThat(lags.count()).isEqualTo(100);
    assertThat(lags.percentileMs(50)).isEqualTo(50);
    assertThat(lags.percentileMs(99)).isEqualTo(99);
    assertThat(lags.maxMs()).isEqualTo(100);
  }

  @Test
  void countsANegativeLagAsZeroAndALongOneAsAMinute() {
    LagHistogram lags = new LagHistogram();
    lags.record(-5);
    lags.record(3_600_000);

    assertThat(lags.percentileMs(50)).isZero();
    assertThat(lags.percentileMs(100)).isEqualTo(60_000);
    assertThat(lags.maxMs()).isEqualTo(3_600_000);
  }

  @Test
  void answersZeroWhenEmpty() {
    assertThat(new LagHistogram().percentileMs(99)).isZero();
  }
}
