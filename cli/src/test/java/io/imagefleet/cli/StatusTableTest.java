package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.metrics.WorkerStatus;
import io.imagefleet.worker.resilience.Lane.LaneView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static final Instant NOW = Instant.parse("2026-11-24T09:16:02Z");

  @Test
  void joinsGroupMembersWithWorkerStatusesAndFlagsWorkersThatAreNotReady() {
    FleetSnapshot snapshot =
        new FleetSnapshot(
            "imagefleet-workers",
            "Stable",
            "imagefleet.jobs.v1",
            List.of(
                new FleetSnapshot.Member("w-1-intake", "/10.0.0.1", List.of(0, 1, 2, 5)),
                new FleetSnapshot.Member("w-2-intake", "/10.0.0.2", List.of(3, 4))),
            Map.of(
                0,
                lag(10, 12),
                1,
                lag(5, 5),
                2,
                lag(0, 1),
                3,
                lag(7, 9),
                4,
                lag(1, 1),
                5,
                new FleetSnapshot.Lag(Optional.empty(), 0, 4)),
            List.of(
                new FleetSnapshot.Worker(status("w-1", 12, true, List.of()), true, NOW),
                new FleetSnapshot.Worker(
                    status("w-2", 0, false, List.of("spending stopped: unauthorized")),
                    false,
                    NOW.minusSeconds(7))),
            List.of(),
            500,
            NOW);

    String out = StatusTable.render(snapshot);

    assertThat(out)
        .contains(
            "group imagefleet-workers: Stable, 2 member(s); jobs topic imagefleet.jobs.v1: 6 partition(s), lag 9")
        .containsPattern("w-1\\s+0-2,5\\s+7\\s+12/512\\s+yes\\s+gpt-image-1\\.5=CLOSED\\s+live")
        .containsPattern(
            "w-2\\s+3-4\\s+2\\s+0/512\\s+NO\\s+gpt-image-1\\.5=CLOSED\\s+heartbeat 7s ago")
        .contains("! not ready: w-2: spending stopped: unauthorized")
        .contains("0:2  1:0  2:1  3:2  4:0  5:4")
        .contains("RECENT FAILURES (of the last 500 events per partition)\n  none");
  }

  @Test
  void listsHeartbeatsOfWorkersOutsideTheGroupAndMembersWithoutHeartbeat() {
    FleetSnapshot snapshot =
        new FleetSnapshot(
            "g",
            "Stable",
            "jobs",
            List.of(new FleetSnapshot.Member("other-client", "/10.0.0.3", List.of(0))),
            Map.of(0, lag(0, 0)),
            List.of(
                new FleetSnapshot.Worker(
                    status("w-9", 0, true, List.of()), false, NOW.minusSeconds(300))),
            List.of(),
            500,
            NOW);

    assertThat(StatusTable.render(snapshot))
        .containsPattern("other-client\\s+0\\s+0\\s+\\?\\s+\\?\\s+\\?\\s+no heartbeat")
        .containsPattern("w-9\\s+\\(not in group\\)\\s+-\\s+0/512\\s+yes.*heartbeat 5m ago");
  }

  @Test
  void compressesPartitionLists() {
    assertThat(StatusTable.ranges(List.of())).isEqualTo("-");
    assertThat(StatusTable.ranges(List.of(3))).isEqualTo("3");
    assertThat(StatusTable.ranges(List.of(9, 0, 1, 2, 3, 7, 10))).isEqualTo("0-3,7,9-10");
  }

  @Test
  void addsUpEachLaneAcrossLiveWorkersAndSaysWhetherItIsCoolingDown() {
    LaneView first = new LaneView("create:gpt-image-1.5", 18.4, 9.2, 7, null, null, 3);
    LaneView newer =
        new LaneView("create:gpt-image-1.5", 16.6, 8.3, 5, NOW.plusSeconds(40), null, 2);
    FleetSnapshot snapshot =
        new FleetSnapshot(
            "g",
            "Stable",
            "jobs",
            List.of(),
            Map.of(),
            List.of(
                new FleetSnapshot.Worker(
                    withLanes(
                        status("w-1", 1, true, List.of()), List.of(first), NOW.minusSeconds(5)),
                    true,
                    NOW),
                new FleetSnapshot.Worker(
                    withLanes(status("w-2", 1, true, List.of()), List.of(newer), NOW), true, NOW)),
            List.of(),
            500,
            NOW);

    assertThat(StatusTable.lanes(snapshot))
        .containsPattern("create:gpt-image-1\\.5\\s+16\\.6\\s+12\\s+5\\s+cooling down for 40s");
  }

  @Test
  void addsUpEachTenantsJobsInFlightAndWaitingAcrossLiveWorkers() {
    WorkerStatus one =
        withTenants(
            status("w-1", 4, true, List.of()),
            Map.of("team-a", 3, "_shared", 1),
            Map.of("team-a", 9));
    WorkerStatus two =
        withTenants(status("w-2", 2, true, List.of()), Map.of("team-a", 2), Map.of());
    WorkerStatus gone =
        withTenants(status("w-3", 7, true, List.of()), Map.of("team-b", 7), Map.of());
    FleetSnapshot snapshot =
        new FleetSnapshot(
            "g",
            "Stable",
            "jobs",
            List.of(),
            Map.of(),
            List.of(
                new FleetSnapshot.Worker(one, true, NOW),
                new FleetSnapshot.Worker(two, true, NOW),
                new FleetSnapshot.Worker(gone, false, NOW.minusSeconds(300))),
            List.of(),
            500,
            NOW);

    String table = StatusTable.tenants(snapshot);
    assertThat(table)
        .containsPattern("TENANT\\s+IN FLIGHT\\s+WAITING")
        .containsPattern("_shared\\s+1\\s+0")
        .containsPattern("team-a\\s+5\\s+9")
        .doesNotContain("team-b");
    assertThat(
            StatusTable.tenants(
                new FleetSnapshot(
                    "g", "Stable", "jobs", List.of(), Map.of(), List.of(), List.of(), 500, NOW)))
        .isEmpty();
  }

  private static WorkerStatus withTenants(
      WorkerStatus s, Map<String, Integer> inFlight, Map<String, Integer> waiting) {
    return new WorkerStatus(
        s.workerId(),
        s.opsUrl(),
        s.inFlight(),
        s.maxInFlight(),
        s.assignedPartitions(),
        s.breakers(),
        s.lanes(),
        s.ready(),
        s.notReadyReasons(),
        s.startedAt(),
        s.updatedAt(),
        inFlight,
        waiting);
  }

  private static WorkerStatus withLanes(WorkerStatus s, List<LaneView> lanes, Instant updated) {
    return new WorkerStatus(
        s.workerId(),
        s.opsUrl(),
        s.inFlight(),
        s.maxInFlight(),
        s.assignedPartitions(),
        s.breakers(),
        lanes,
        s.ready(),
        s.notReadyReasons(),
        s.startedAt(),
        updated,
        s.tenantsInFlight(),
        s.tenantsWaiting());
  }

  private static FleetSnapshot.Lag lag(long committed, long end) {
    return new FleetSnapshot.Lag(Optional.of(committed), 0, end);
  }

  private static WorkerStatus status(String id, int inFlight, boolean ready, List<String> reasons) {
    return new WorkerStatus(
        id,
        "http://" + id + ":9400",
        inFlight,
        512,
        3,
        Map.of("gpt-image-1.5", "CLOSED"),
        List.of(),
        ready,
        reasons,
        NOW.minusSeconds(3600),
        NOW,
        Map.of(),
        Map.of());
  }
}
