package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imagefleet.sandbox.testing.MutableClock;
import io.imagefleet.worker.config.RateSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaneTest {
  private static final RateSettings RATES = new RateSettings(true, 4, 0.5, 0.1, false);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RecordingFleet fleet = new RecordingFleet();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aLaneWithoutAConfiguredLimitStartsSlowAndDoublesWhileWorkWaits() {
    Lane lane = lane(0);
    assertThat(lane.view().fleetRate()).isEqualTo(4);

    lane.tick(); // nothing waits: no reason to go faster
    assertThat(lane.view().fleetRate()).isEqualTo(4);

    callsEvery(lane, Duration.ofMillis(250), 8); // its whole rate used
    lane.tick();
    assertThat(lane.view().fleetRate()).isEqualTo(8);
    assertThat(fleet.lanes).last().extracting(LaneState::slowStart).isEqualTo(true);
  }

  @Test
  void aRateTheWorkerDoesNotReachIsNotRaised() {
    Lane lane = lane(0);
    waitingCalls(lane, 20); // queued behind the pace, but too few made to learn anything

    lane.tick();

    assertThat(lane.view().fleetRate()).isEqualTo(4);
  }

  @Test
  void aCutThatLeavesThePaceFarOverTheLimitCutsAgainWithinItsHold() {
    Lane lane = lane(0);
    for (int i = 0; i < 20; i++) {
      lane.answered();
    }
    lane.throttled("rate_limit_exceeded", Optional.empty()); // slow start ends: 4 -> 2
    assertThat(lane.view().fleetRate()).isEqualTo(2);

    for (int i = 0; i < 3; i++) {
      lane.throttled("rate_limit_exceeded", Optional.empty());
    }
    // 3 of 3 since the cut: the bucket the old pace emptied, too few answers to tell
    assertThat(lane.view().fleetRate()).isEqualTo(2);

    for (int i = 0; i < 7; i++) {
      lane.answered();
    }
    for (int i = 0; i < 3; i++) {
      lane.throttled("rate_limit_exceeded", Optional.empty());
    }
    assertThat(lane.view().fleetRate()).isEqualTo(2); // 6 of 13 since the cut: held

    lane.throttled("rate_limit_exceeded", Optional.empty());
    // 7 of 14 since the cut refused: the cut was far too small, and the hold does not wait
    assertThat(lane.view().fleetRate()).isCloseTo(2 * (1 - 7.0 / 24), within(1e-9));
  }

  @Test
  void a429CutsTheRateOnceForABurstAndEndsTheSlowStart() {
    Lane lane = lane(0);

    lane.throttled("rate_limit_exceeded", Optional.empty());
    lane.throttled("rate_limit_exceeded", Optional.empty());
    lane.throttled("rate_limit_exceeded", Optional.empty());

    assertThat(lane.view().fleetRate()).isEqualTo(2);
    assertThat(lane.throttledCalls()).isEqualTo(3);
    assertThat(fleet.lanes).hasSize(1);
    assertThat(fleet.lanes.get(0).slowStart()).isFalse();

    clock.advance(Lane.CUT_HOLD);
    lane.throttled("rate_limit_exceeded", Optional.empty());
    lane.throttled("rate_limit_exceeded", Optional.empty());
    assertThat(lane.view().fleetRate()).isEqualTo(2); // two 429s alone show no limit yet
    lane.throttled("rate_limit_exceeded", Optional.empty());
    // Out of slow start a cut goes to what was taken (3 refused of 3, counted as of 3 + 10, so a
    // handful cannot cut deep), times the cut factor.
    assertThat(lane.view().fleetRate()).isCloseTo(2 * (10.0 / 13) * 0.5, within(1e-9));
  }

  @Test
  void scattered429sLeaveTheRateAloneAndARefusedShareCutsToWhatWasTaken() {
    Lane lane = lane(10);
    for (int i = 0; i < 100; i++) {
      lane.answered();
    }
    for (int i = 0; i < 3; i++) {
      lane.throttled("rate_limit_exceeded", Optional.empty());
    }
    assertThat(lane.view().fleetRate()).isEqualTo(10); // 3 of 103 refused: scattered

    for (int i = 0; i < 3; i++) {
      lane.throttled("rate_limit_exceeded", Optional.empty());
    }
    // 6 of 106 refused: a limit; the rate goes to what was taken, times the cut factor
    assertThat(lane.view().fleetRate()).isCloseTo(10 * (110.0 / 116) * 0.5, within(1e-9));
  }

  @Test
  void aLimitShowsOnTheWholeFleetsAnswersNotOneWorkersPart() {
    Lane lane = lane(20);
    for (int i = 0; i < 12; i++) {
      lane.answered();
    }
    lane.throttled("rate_limit_exceeded", Optional.empty());
    assertThat(lane.view().fleetRate()).isEqualTo(20); // 1 of 13 refused: alone, no limit

    // The other workers' answers over the same window: 2 more refused of 26.
    lane.share(3, true, new WorkerDemand.Answers(24, 2));
    lane.throttled("rate_limit_exceeded", Optional.empty());
    // 4 refused of 40: a limit; the cut goes to what the fleet's answers say was taken
    assertThat(lane.view().fleetRate()).isCloseTo(20 * (1 - 4.0 / 50) * 0.5, within(1e-9));

    // Answers over a window that began before this cut described the pace it left behind.
    Instant cut = clock.instant();
    assertThat(lane.windowFollowsLastCut(cut.plusSeconds(1))).isFalse();
    assertThat(lane.windowFollowsLastCut(cut.plusSeconds(2))).isTrue();
  }

  @Test
  void theRaiseGrowsTheLongerNoCutCame() {
    Lane lane = lane(0);
    lane.throttled("rate_limit_exceeded", Optional.empty()); // slow start ends: 4 -> 2

    clock.advance(Lane.PROBE_DOUBLING.minusMillis(1500));
    callsEvery(lane, Duration.ofMillis(500), 4);
    lane.tick();
    assertThat(lane.view().fleetRate()).isCloseTo(2 + 2 * 0.1 * 2, within(1e-9));
  }

  @Test
  void afterACutQuietSecondsRaiseTheRateBySmallSteps() {
    Lane lane = lane(0);
    lane.throttled("rate_limit_exceeded", Optional.empty());
    lane.throttled("rate_limit_exceeded", Optional.empty()); // a run of 429s: 4 -> 2
    clock.advance(Duration.ofMillis(400));
    callsEvery(lane, Duration.ofMillis(500), 4); // its part used, the last at 1.9 s

    lane.tick(); // still within the hold of the cut
    assertThat(lane.view().fleetRate()).isEqualTo(2);

    clock.advance(Duration.ofMillis(100));
    lane.tick();
    assertThat(lane.view().fleetRate()).isEqualTo(2.2);
  }

  @Test
  void retryAfterPausesTheWholeLaneAndTheFleetHearsOfIt() {
    Lane lane = lane(0);

    lane.throttled("rate_limit_exceeded", Optional.of(Duration.ofSeconds(30)));

    assertThat(lane.view().coolingUntil()).isEqualTo(clock.instant().plusSeconds(30));
    assertThat(fleet.lanes).last().extracting(LaneState::coolUntil).isNotNull();
    CompletableFuture<Void> permit = startCall(lane);
    assertThat(permit).isNotDone();
  }

  @Test
  void aConfiguredLimitIsWhereTheRateStartsAndTheMostItClimbsTo() {
    Lane lane = lane(10);
    assertThat(lane.view().fleetRate()).isEqualTo(10);

    callsEvery(lane, Duration.ofMillis(100), 20);
    lane.tick();
    assertThat(lane.view().fleetRate()).isEqualTo(10);
    assertThat(fleet.lanes).isEmpty();
  }

  @Test
  void onlyTheRaisingWorkerRaises() {
    Lane lane = lane(0);
    lane.share(2, false, WorkerDemand.Answers.NONE);
    callsEvery(lane, Duration.ofMillis(500), 4); // its part, 2/s, used

    lane.tick();

    assertThat(lane.view().fleetRate()).isEqualTo(4);
  }

  @Test
  void eachWorkerTakesItsPartOfTheFleetsRate() {
    Lane lane = lane(30);

    lane.share(3, true, WorkerDemand.Answers.NONE);

    assertThat(lane.view().localRate()).isEqualTo(10);
  }

  @Test
  void adoptsWhatAnotherWorkerShared() {
    Lane lane = lane(0);
    Instant until = clock.instant().plusSeconds(20);

    lane.adopt(
        new LaneState(
            lane.name(),
            7,
            false,
            null,
            until,
            clock.instant(),
            clock.instant(),
            clock.instant(),
            "w-2",
            "429",
            clock.instant()));

    assertThat(lane.view().fleetRate()).isEqualTo(7);
    assertThat(lane.isDown()).isTrue();
    clock.advance(Duration.ofSeconds(21));
    assertThat(lane.isDown()).isFalse();
  }

  @Test
  void aRecordCarryingAnOlderRateLeavesANewerCutAlone() {
    Lane lane = lane(0);
    Instant before = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    lane.throttled("rate_limit_exceeded", Optional.empty());
    lane.throttled("rate_limit_exceeded", Optional.empty()); // 4 -> 2, now

    lane.adopt(
        new LaneState(
            lane.name(), 8, true, null, null, null, before, null, "w-2", "slow start", before));

    assertThat(lane.view().fleetRate()).isEqualTo(2);
  }

  @Test
  void withASharedLimitA429OnQueriesAlsoSlowsCreations() {
    Lane queries = lane(0);
    Lane creations = lane(0);
    queries.alsoSlows(List.of(creations));

    queries.throttled("rate_limit_exceeded", Optional.of(Duration.ofSeconds(5)));
    queries.throttled("rate_limit_exceeded", Optional.of(Duration.ofSeconds(5)));

    assertThat(creations.view().fleetRate()).isEqualTo(2);
    assertThat(creations.view().coolingUntil()).isNotNull();
    assertThat(creations.throttledCalls()).isZero(); // its own calls were not refused
  }

  private Lane lane(double configured) {
    return new Lane(
        Lane.creations("m" + fleet.lanes.size() + System.nanoTime()),
        configured,
        4,
        RATES,
        fleet,
        "w-1",
        scheduler,
        clock,
        () ->
            TimeUnit.SECONDS.toNanos(clock.instant().getEpochSecond()) + clock.instant().getNano());
  }

  /** Calls queued behind the lane's pace (the clock never moves on, so they stay queued). */
  private void waitingCalls(Lane lane, int n) {
    for (int i = 0; i < n; i++) {
      startCall(lane);
    }
  }

  /** {@code n} calls {@code every} apart, the clock left at the last: calls made at a pace. */
  private void callsEvery(Lane lane, Duration every, int n) {
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        clock.advance(every);
      }
      assertThat(startCall(lane)).isDone();
    }
  }

  private static CompletableFuture<Void> startCall(Lane lane) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    lane.paced(
        () -> {
          started.complete(null);
          return new CompletableFuture<>();
        },
        Duration.ofMinutes(1),
        () -> true);
    return started;
  }

  private static final class RecordingFleet implements FleetLink {
    final List<LaneState> lanes = new ArrayList<>();
    final List<WorkerDemand> demands = new ArrayList<>();

    @Override
    public synchronized void laneChanged(LaneState state) {
      lanes.add(state);
    }

    @Override
    public void spendingChanged(SpendingState state) {}

    @Override
    public synchronized void demandChanged(WorkerDemand demand) {
      demands.add(demand);
    }
  }
}
