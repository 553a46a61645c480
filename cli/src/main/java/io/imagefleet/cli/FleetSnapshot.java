package io.imagefleet.cli;

import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.metrics.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet at one moment, as {@code imagefleet status} gathered it from the cluster: the consumer
 * group (members and their partitions), lag per partition, each worker's status (live from its
 * endpoint, else its last heartbeat) and the most recent failed jobs.
 */
record FleetSnapshot(
    String group,
    String groupState,
    String jobsTopic,
    List<Member> members,
    Map<Integer, Lag> lag,
    List<Worker> workers,
    List<StatusEvent> recentFailures,
    int eventsScanned,
    Instant takenAt) {

  /** A member of the workers' consumer group. */
  record Member(String clientId, String host, List<Integer> partitions) {}

  /** One partition of the jobs topic: the group's committed offset (if any) and the log end. */
  record Lag(Optional<Long> committed, long start, long end) {
    long value() {
      return end - committed.orElse(start);
    }
  }

  /**
   * A worker known from its heartbeat and/or its endpoint.
   *
   * @param live whether {@code status} came from the worker's endpoint just now (else from its
   *     heartbeat)
   * @param seenAt when the status was taken
   */
  record Worker(WorkerStatus status, boolean live, Instant seenAt) {}

  long totalLag() {
    return lag.values().stream().mapToLong(Lag::value).sum();
  }
}
