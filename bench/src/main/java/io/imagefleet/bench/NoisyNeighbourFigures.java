package io.imagefleet.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How long a quiet tenant's jobs waited behind a busy tenant's backlog in one run of the
 * noisy-neighbour scenario (docs/benchmark.md defines each figure). The targets are the issue's;
 * they are reported, never asserted.
 *
 * @param quietJobs the quiet tenant's jobs published
 * @param quietAccepted of those, jobs whose ACCEPTED event was read
 * @param quietStartWaitP50Seconds publish to ACCEPTED of the quiet jobs, median (null: none
 *     accepted)
 * @param quietStartWaitP99Seconds the same, 99th percentile (nearest rank)
 * @param busyBacklogAtQuietStart the busy tenant's jobs published but not yet ACCEPTED when the
 *     quiet tenant's first job was published
 */
record NoisyNeighbourFigures(
    int quietJobs,
    int quietAccepted,
    Double quietStartWaitP50Seconds,
    Double quietStartWaitP99Seconds,
    int busyBacklogAtQuietStart) {

  static final double QUIET_WAIT_P99_TARGET_S = 5.0;

  /** The quiet tenant's wait counts only behind a backlog at least this deep. */
  static final int BACKLOG_FLOOR = 10_000;

  /** Throughput with two tenants over the same load as one tenant's. */
  static final double THROUGHPUT_TARGET = 0.95;

  /**
   * @param busy each busy job's {@code created_at} (its publish time) by job id
   * @param quiet each quiet job's, likewise
   * @param accepted the {@code occurred_at} of each job's ACCEPTED event, for the jobs that have
   *     one
   */
  static NoisyNeighbourFigures of(
      Map<String, Instant> busy, Map<String, Instant> quiet, Map<String, Instant> accepted) {
    Instant quietStart = quiet.values().stream().min(Instant::compareTo).orElseThrow();
    long busyPublished = busy.values().stream().filter(c -> !c.isAfter(quietStart)).count();
    long busyTaken =
        busy.keySet().stream()
            .map(accepted::get)
            .filter(a -> a != null && !a.isAfter(quietStart))
            .count();
    long[] waits =
        quiet.entrySet().stream()
            .filter(e -> accepted.containsKey(e.getKey()))
            .mapToLong(e -> Duration.between(e.getValue(), accepted.get(e.getKey())).toMillis())
            .toArray();
    Percentiles p = Percentiles.of(waits);
    return new NoisyNeighbourFigures(
        quiet.size(),
        waits.length,
        p.isEmpty() ? null : p.at(50) / 1000.0,
        p.isEmpty() ? null : p.at(99) / 1000.0,
        (int) Math.max(0, busyPublished - busyTaken));
  }

  /** Whether the backlog was deep enough for the quiet tenant's wait to prove anything. */
  boolean backlogDeepEnough() {
    return busyBacklogAtQuietStart > BACKLOG_FLOOR;
  }

  /** The quiet tenant's p99 start wait within the target, behind a deep enough backlog. */
  boolean quietWaitMet() {
    return quietAccepted == quietJobs
        && quietStartWaitP99Seconds != null
        && quietStartWaitP99Seconds <= QUIET_WAIT_P99_TARGET_S
        && backlogDeepEnough();
  }
}
