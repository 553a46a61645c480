package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

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

    waitingCalls(lane, 20);
    lane.tick();
    assertThat(lane.view().fleetRate()).isEqualTo(8);
    assertThat(fleet.lanes).last().extracting(LaneState::slowStart).isEqualTo(true);
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
    assertThat(lane.view().fleetRate()).isEqualTo(1);
  }

  @Test
  void afterACutQuietSecondsRaiseTheRateBySmallSteps() {
    Lane lane = lane(0);
    lane.throttled("rate_limit_exceeded", Optional.empty());
    lane.throttled("rate_limit_exceeded", Optional.empty()); // a run of 429s: 4 -> 2
    waitingCalls(lane, 20);

    lane.tick(); // still within the hold of the cut
    assertThat(lane.view().fleetRate()).isEqualTo(2);

    clock.advance(Lane.CUT_HOLD);
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

    waitingCalls(lane, 20);
    lane.tick();
    assertThat(lane.view().fleetRate()).isEqualTo(10);
    assertThat(fleet.lanes).isEmpty();
  }

  @Test
  void onlyTheRaisingWorkerRaises() {
    fleet.raises = false;
    Lane lane = lane(0);
    waitingCalls(lane, 20);

    lane.tick();

    assertThat(lane.view().fleetRate()).isEqualTo(4);
  }

  @Test
  void eachWorkerTakesItsPartOfTheFleetsRate() {
    Lane lane = lane(30);

    lane.workers(3);

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

  private static CompletableFuture<Void> startCall(Lane lane) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    lane.paced(
        () -> {
          started.complete(null);
          return new CompletableFuture<>();
        },
        Duration.ofMinutes(1));
    return started;
  }

  private static final class RecordingFleet implements FleetLink {
    final List<LaneState> lanes = new ArrayList<>();
    boolean raises = true;

    @Override
    public synchronized void laneChanged(LaneState state) {
      lanes.add(state);
    }

    @Override
    public void spendingChanged(SpendingState state) {}

    @Override
    public boolean raisesRates() {
      return raises;
    }
  }
}
