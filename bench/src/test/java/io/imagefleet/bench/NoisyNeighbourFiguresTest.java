package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoisyNeighbourFiguresTest {
  private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
  private static final Instant QUIET_START = START.plusSeconds(10);

  @Test
  void theBacklogIsTheBusyJobsNotYetAcceptedWhenTheQuietTenantPublishes() {
    Map<String, Instant> busy = jobs("busy", 20_000, START);
    Map<String, Instant> accepted = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      accepted.put("busy-" + i, START.plusMillis(i)); // before the quiet tenant's first job
    }
    accepted.put("busy-3000", QUIET_START); // at that very moment: taken
    accepted.put("busy-3001", QUIET_START.plusMillis(1)); // after it: still waiting then
    Map<String, Instant> quiet = jobs("quiet", 10, QUIET_START);

    NoisyNeighbourFigures f = NoisyNeighbourFigures.of(busy, quiet, accepted);

    assertThat(f.busyBacklogAtQuietStart()).isEqualTo(20_000 - 3_001);
    assertThat(f.backlogDeepEnough()).isTrue();
  }

  @Test
  void theQuietWaitIsEachJobsPublishToItsAcceptedEventInNearestRankPercentiles() {
    Map<String, Instant> quiet = new HashMap<>();
    Map<String, Instant> accepted = new HashMap<>();
    for (int i = 1; i <= 100; i++) {
      Instant published = QUIET_START.plusMillis(i); // published over 100 ms
      quiet.put("quiet-" + i, published);
      accepted.put("quiet-" + i, published.plusMillis(100L * i)); // waits 0.1 s .. 10 s
    }

    NoisyNeighbourFigures f = NoisyNeighbourFigures.of(Map.of(), quiet, accepted);

    assertThat(f.quietJobs()).isEqualTo(100);
    assertThat(f.quietAccepted()).isEqualTo(100);
    assertThat(f.quietStartWaitP50Seconds()).isEqualTo(5.0);
    assertThat(f.quietStartWaitP99Seconds()).isEqualTo(9.9);
    assertThat(f.quietWaitMet()).isFalse();
  }

  @Test
  void meetsTheTargetOnlyWithEveryQuietJobAcceptedInTimeBehindADeepBacklog() {
    Map<String, Instant> busy = jobs("busy", 12_000, START);
    Map<String, Instant> quiet = jobs("quiet", 100, QUIET_START);
    Map<String, Instant> accepted = new HashMap<>();
    quiet.forEach((id, published) -> accepted.put(id, published.plusSeconds(2)));

    assertThat(NoisyNeighbourFigures.of(busy, quiet, accepted).quietWaitMet()).isTrue();
    // The same waits behind a shallow backlog prove nothing.
    assertThat(NoisyNeighbourFigures.of(jobs("busy", 9_000, START), quiet, accepted).quietWaitMet())
        .isFalse();
    // A quiet job never accepted is not a fast one.
    accepted.remove("quiet-7");
    NoisyNeighbourFigures missing = NoisyNeighbourFigures.of(busy, quiet, accepted);
    assertThat(missing.quietAccepted()).isEqualTo(99);
    assertThat(missing.quietStartWaitP99Seconds()).isEqualTo(2.0);
    assertThat(missing.quietWaitMet()).isFalse();
  }

  @Test
  void saysNothingOfTheWaitWhenNoQuietJobWasAccepted() {
    NoisyNeighbourFigures f =
        NoisyNeighbourFigures.of(jobs("busy", 5, START), jobs("quiet", 3, QUIET_START), Map.of());

    assertThat(f.quietAccepted()).isZero();
    assertThat(f.quietStartWaitP50Seconds()).isNull();
    assertThat(f.quietStartWaitP99Seconds()).isNull();
    assertThat(f.busyBacklogAtQuietStart()).isEqualTo(5);
  }

  private static Map<String, Instant> jobs(String prefix, int count, Instant at) {
    Map<String, Instant> jobs = new HashMap<>();
    for (int i = 0; i < count; i++) {
      jobs.put(prefix + "-" + i, at);
    }
    return jobs;
  }
}
