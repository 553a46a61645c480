package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.sandbox.upstream.SimulatorStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RateLimitFiguresTest {
  private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  void achievedIsTasksCreatedOverTheCreationWindowAndGoodputIsItOverThePermitted() {
    List<Instant> creations = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      creations.add(START.plusMillis(50L * i)); // 200 tasks over 9.95 s
    }
    RateLimitFigures f =
        RateLimitFigures.of(
            new UpstreamLimits(20, 60), creations, stats(0, 0, 0), stats(1_000, 20, 4_500), 2);

    assertThat(f.achievedCreatesPerSecond()).isCloseTo(200 / 9.95, Offset.offset(1e-9));
    assertThat(f.goodputRatio()).isCloseTo(200 / 9.95 / 20, Offset.offset(1e-9));
    assertThat(f.share429()).isEqualTo(0.02);
    assertThat(f.maxPollGapSeconds()).isEqualTo(4.5);
    assertThat(f.breakerOpenings()).isEqualTo(2);
  }

  @Test
  void countsOnlyWhatHappenedBetweenTheTwoSnapshots() {
    RateLimitFigures f =
        RateLimitFigures.of(
            new UpstreamLimits(20, 60),
            List.of(START, START.plusSeconds(1)),
            stats(100, 10, 0),
            stats(300, 14, 0),
            0);

    assertThat(f.apiCalls()).isEqualTo(200);
    assertThat(f.responses429()).isEqualTo(4);
    assertThat(f.createsRateLimited()).isEqualTo(4);
  }

  @Test
  void saysNothingOfAchievementWithFewerThanTwoCreationsOrWithoutALimit() {
    assertThat(
            RateLimitFigures.of(
                    new UpstreamLimits(20, 60), List.of(START), stats(0, 0, 0), stats(1, 0, 0), 0)
                .achievedCreatesPerSecond())
        .isNull();
    assertThat(
            RateLimitFigures.of(
                    new UpstreamLimits(0, 60),
                    List.of(START, START.plusSeconds(2)),
                    stats(0, 0, 0),
                    stats(2, 0, 0),
                    0)
                .goodputRatio())
        .isNull();
  }

  /** Stats with {@code calls} creates and no queries, {@code limited} of them refused 429. */
  private static SimulatorStats stats(long calls, long limited, long maxPollGapMillis) {
    return new SimulatorStats(
        calls - limited,
        Map.of(),
        Map.of(),
        calls,
        0,
        0,
        0,
        Map.of(429, limited),
        limited,
        0,
        0,
        0,
        maxPollGapMillis,
        0);
  }
}
