package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationDistributionTest {

  @Test
  void fixedAlwaysGivesItsValue() {
    assertThat(DurationDistribution.fixed(Duration.ofSeconds(3)).sample(new Random(1)))
        .hasSeconds(3);
  }

  @Test
  void uniformStaysWithinBounds() {
    DurationDistribution uniform =
        DurationDistribution.uniform(Duration.ofSeconds(2), Duration.ofSeconds(5));
    Random random = new Random(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(uniform.sample(random)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
  }

  @Test
  void logNormalHitsItsMedianAndP99() {
    DurationDistribution logNormal =
        DurationDistribution.logNormal(Duration.ofSeconds(30), Duration.ofMinutes(3));
    Random random = new Random(42);
    long[] millis = new long[20_000];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = logNormal.sample(random).toMillis();
    }
    Arrays.sort(millis);
    assertThat(millis[millis.length / 2]).isBetween(28_000L, 32_000L);
    assertThat(millis[(int) (millis.length * 0.99)]).isBetween(160_000L, 200_000L);
    assertThat(millis[millis.length - 1]).isLessThanOrEqualTo(1_800_000L);
  }

  @Test
  void sameSeedSameDraws() {
    DurationDistribution d =
        DurationDistribution.logNormal(Duration.ofSeconds(10), Duration.ofSeconds(60));
    Random a = new Random(9);
    Random b = new Random(9);
    for (int i = 0; i < 100; i++) {
      assertThat(d.sample(a)).isEqualTo(d.sample(b));
    }
  }

  @Test
  void parsesTheCommandLineForms() {
    assertThat(DurationDistribution.parse("5s"))
        .isEqualTo(DurationDistribution.fixed(Duration.ofSeconds(5)));
    assertThat(DurationDistribution.parse("uniform:2s..10s"))
        .isEqualTo(DurationDistribution.uniform(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    assertThat(DurationDistribution.parse("lognormal:30s..3m"))
        .isEqualTo(DurationDistribution.logNormal(Duration.ofSeconds(30), Duration.ofMinutes(3)));
    assertThat(DurationDistribution.parse("PT0.5S"))
        .isEqualTo(DurationDistribution.fixed(Duration.ofMillis(500)));
    assertThatThrownBy(() -> DurationDistribution.parse("normal:1s..2s"))
        .hasMessageContaining("uniform or lognormal");
  }

  @Test
  void rejectsImpossibleShapesNamingTheValue() {
    assertThatThrownBy(
            () -> DurationDistribution.uniform(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("max must be >= min");
    assertThatThrownBy(
            () -> DurationDistribution.logNormal(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("p99 must be >= median");
    assertThatThrownBy(() -> DurationDistribution.fixed(Duration.ofSeconds(-1)))
        .hasMessageContaining("value must be >= 0");
  }
}
