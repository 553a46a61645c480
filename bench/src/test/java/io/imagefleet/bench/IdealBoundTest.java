package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IdealBoundTest {

  @Test
  void aLargeBatchIsBoundByCapacityOverMeanLatency() {
    // the scenario: cap 512, fixed 2 s, 4,000 jobs
    assertThat(IdealBound.jobsPerSecond(512, 4000, 2000, 2000)).hasValue(256.0);
  }

  @Test
  void aSmallBatchIsBoundByItsSizeOverTheLongestLatency() {
    assertThat(IdealBound.jobsPerSecond(512, 100, 2000, 2000)).hasValue(50.0);
  }

  @Test
  void aLongTailLowersTheBatchBoundButNotLittlesLaw() {
    double bound = IdealBound.jobsPerSecond(512, 1000, 30_000, 300_000).orElseThrow();

    assertThat(bound).isCloseTo(1000 / 300.0, within(1e-9));
  }

  @Test
  void aZeroLatencyUpstreamHasNoBound() {
    assertThat(IdealBound.jobsPerSecond(512, 1000, 0, 0)).isEmpty();
  }
}
