package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.cli.redrive.RedriveProgress;
import io.imagefleet.sandbox.testing.MutableClock;
import io.imagefleet.worker.metrics.WorkerStatus;
import io.imagefleet.worker.resilience.Lane.LaneView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FleetViewTest {
  private static final Instant T0 = Instant.parse("2026-12-07T04:00:00Z");
  private static final Duration STALE_AFTER = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(T0);

  private FleetView view() {
    return new FleetView(10, STALE_AFTER, clock);
  }

  @Test
  void marksAWorkerNotHeardFromAsStaleAndLeavesItOutOfTheSums() {
    FleetView view = view();
    view.heartbeat("w1", status("w1", Map.of("team-a", 3), Map.of(), "CLOSED", 2.0, 7));
    clock.advance(Duration.ofSeconds(20));
    view.heartbeat(
        "w2", status("w2", Map.of("team-a", 1), Map.of(), "OPEN", 1.5, 1, clock.instant()));
    clock.advance(Duration.ofSeconds(15)); // w1 heard 35 s ago, w2 15 s ago

    FleetView.Fleet fleet = view.snapshot();

    assertThat(fleet.staleWorkers()).containsExactly("w1");
    assertThat(fleet.workers()).extracting(WorkerStatus::workerId).containsExactly("w1", "w2");
    assertThat(fleet.tenants()).containsExactly(new FleetView.TenantLoad("team-a", 1, 0));
    assertThat(fleet.routes())
        .singleElement()
        .satisfies(r -> assertThat(r.states()).containsOnlyKeys("OPEN"));
  }

  @Test
  void showsEachTenantsSpendAgainstItsBudgetFromTheLedger() {
    FleetView view = view();
    view.budgetRecord(
        ("{\"kind\":\"RESERVE\",\"tenant\":\"team-a\",\"reservation_id\":\"j/1\","
                + "\"amount_usd\":0.25,\"daily_limit_usd\":5,\"occurred_at\":\""
                + T0
                + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    view.budgetRecord("not a ledger record".getBytes(StandardCharsets.UTF_8));

    assertThat(view.snapshot().budgets())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.tenant()).isEqualTo("team-a");
              assertThat(b.heldTodayUsd()).isEqualByComparingTo("0.25");
              assertThat(b.dailyLimitUsd()).isEqualByComparingTo("5");
              assertThat(b.monthlyLimitUsd()).isNull();
            });
  }

  @Test
  void addsUpTenantsLanesAndBreakersOverTheWorkers() {
    FleetView view = view();
    view.heartbeat("w1", status("w1", Map.of("team-a", 3), Map.of("team-a", 5), "CLOSED", 2.0, 7));
    view.heartbeat("w2", status("w2", Map.of("team-a", 1, "team-b", 2), Map.of(), "OPEN", 1.5, 1));
    FleetView.Fleet fleet = view.snapshot();

    assertThat(fleet.tenants())
        .containsExactly(
            new FleetView.TenantLoad("team-a", 4, 5), new FleetView.TenantLoad("team-b", 2, 0));
    assertThat(fleet.lanes())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.fleetRate()).isEqualTo(10.0);
              assertThat(l.localRate()).isEqualTo(3.5);
              assertThat(l.throttled()).isEqualTo(8);
            });
    assertThat(fleet.routes())
        .singleElement()
        .satisfies(r -> assertThat(r.states()).containsEntry("CLOSED", 1).containsEntry("OPEN", 1));
  }

  @Test
  void forgetsAWorkerOnItsTombstoneAndKeepsOnlyTheNewestDeadLetters() {
    FleetView view = new FleetView(2, STALE_AFTER, clock);
    view.heartbeat("w1", status("w1", Map.of(), Map.of(), "CLOSED", 1, 0));
    view.heartbeat("w1", null);
    for (int i = 0; i < 5; i++) {
      view.deadLetter(
          new FleetView.DeadLetter(
              0, i, "k", "bad json", null, null, null, null, null, null, null, T0, false));
    }
    FleetView.Fleet fleet = view.snapshot();

    assertThat(fleet.workers()).isEmpty();
    assertThat(fleet.deadLetters())
        .extracting(FleetView.DeadLetter::offset)
        .containsExactly(4L, 3L);
  }

  @Test
  void marksTheDeadLettersTheRedriveGroupHasDealtWith() {
    FleetView view = new FleetView(10, STALE_AFTER, clock);
    for (int partition = 0; partition < 2; partition++) {
      for (int offset = 0; offset < 4; offset++) {
        view.deadLetter(
            new FleetView.DeadLetter(
                partition, offset, "k", "bad", null, null, null, null, null, null, null, T0,
                false));
      }
    }
    // Partition 0: a CLI run went past offset 2, and the console redrove offset 3 on its own.
    view.redriveProgress(Map.of(0, new RedriveProgress(2, new TreeSet<>(List.of(3L)))));

    assertThat(view.snapshot().deadLetters())
        .filteredOn(FleetView.DeadLetter::redriven)
        .extracting(d -> d.partition() + "@" + d.offset())
        .containsExactlyInAnyOrder("0@0", "0@1", "0@3");
  }

  private static WorkerStatus status(
      String id,
      Map<String, Integer> inFlight,
      Map<String, Integer> waiting,
      String breaker,
      double localRate,
      long throttled) {
    return status(id, inFlight, waiting, breaker, localRate, throttled, T0);
  }

  private static WorkerStatus status(
      String id,
      Map<String, Integer> inFlight,
      Map<String, Integer> waiting,
      String breaker,
      double localRate,
      long throttled,
      Instant heardAt) {
    return new WorkerStatus(
        id,
        null,
        1,
        10,
        1,
        Map.of("gpt-image-1.5", breaker),
        List.of(new LaneView("create:gpt-image-1.5", 10.0, localRate, throttled, null, null, 0)),
        true,
        List.of(),
        T0,
        heardAt,
        inFlight,
        waiting);
  }
}
