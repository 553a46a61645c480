package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void takesTheNearestRankSoEveryFigureWasMeasured() {
    Percentiles p = Percentiles.of(LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());

    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(95)).isEqualTo(95);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.max()).isEqualTo(100);
  }

  @Test
  void aSmallSampleReportsItsLargestValueAtTheHighPercentiles() {
    Percentiles p = Percentiles.of(new long[] {30, 10, 20});

    assertThat(p.at(50)).isEqualTo(20);
    assertThat(p.at(99)).isEqualTo(30);
    assertThat(p.mean()).isEqualTo(20.0);
  }

  @Test
  void refusesAnEmptySampleAndOutOfRangePercentiles() {
    assertThatThrownBy(() -> Percentiles.of(new long[0]).at(50))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Percentiles.of(new long[] {1}).at(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void doesNotReorderTheCallersArray() {
    long[] values = {3, 1, 2};
    Percentiles.of(values);

    assertThat(values).containsExactly(3, 1, 2);
  }
}
