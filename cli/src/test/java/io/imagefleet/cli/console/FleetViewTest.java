package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.metrics.WorkerStatus;
import io.imagefleet.worker.resilience.Lane.LaneView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetViewTest {
  private static final Instant T0 = Instant.parse("2026-12-07T04:00:00Z");

  @Test
  void addsUpTenantsLanesAndBreakersOverTheWorkers() {
    FleetView view = new FleetView(10);
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
    FleetView view = new FleetView(2);
    view.heartbeat("w1", status("w1", Map.of(), Map.of(), "CLOSED", 1, 0));
    view.heartbeat("w1", null);
    for (int i = 0; i < 5; i++) {
      view.deadLetter(
          new FleetView.DeadLetter(
              0, i, "k", "bad json", null, null, null, null, null, null, null, T0));
    }
    FleetView.Fleet fleet = view.snapshot();

    assertThat(fleet.workers()).isEmpty();
    assertThat(fleet.deadLetters())
        .extracting(FleetView.DeadLetter::offset)
        .containsExactly(4L, 3L);
  }

  private static WorkerStatus status(
      String id,
      Map<String, Integer> inFlight,
      Map<String, Integer> waiting,
      String breaker,
      double localRate,
      long throttled) {
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
        T0,
        inFlight,
        waiting);
  }
}
