package io.imagefleet.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.metrics.WorkerStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code status -o json}: the snapshot as one JSON object, with the names of docs/cli.md. Its own
 * records, so that renaming a field of {@link FleetSnapshot} cannot change what scripts read.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record FleetSnapshotJson(
    Instant takenAt,
    String group,
    String groupState,
    String jobsTopic,
    long totalLag,
    List<Member> members,
    List<Partition> partitions,
    List<Worker> workers,
    List<StatusEvent> recentFailures,
    int eventsScanned) {

  /** A member of the workers' consumer group. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Member(String clientId, String host, List<Integer> partitions) {}

  /** A partition of the jobs topic; {@code committed} is null before the group's first commit. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Partition(int partition, Long committed, long end, long lag) {}

  /** A worker and its status (the fields of its /status endpoint). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Worker(String workerId, boolean live, Instant seenAt, WorkerStatus status) {}

  static FleetSnapshotJson of(FleetSnapshot s) {
    return new FleetSnapshotJson(
        s.takenAt(),
        s.group(),
        s.groupState(),
        s.jobsTopic(),
        s.totalLag(),
        s.members().stream().map(m -> new Member(m.clientId(), m.host(), m.partitions())).toList(),
        s.lag().entrySet().stream()
            .sorted(java.util.Map.Entry.comparingByKey())
            .map(
                e ->
                    new Partition(
                        e.getKey(),
                        e.getValue().committed().orElse(null),
                        e.getValue().end(),
                        e.getValue().value()))
            .toList(),
        s.workers().stream()
            .map(w -> new Worker(w.status().workerId(), w.live(), w.seenAt(), w.status()))
            .toList(),
        s.recentFailures(),
        s.eventsScanned());
  }
}
