package io.imagefleet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a run's in-flight capacity (cap x workers x the measured window, in slot-time) went, as
 * fractions that add up to 1. When every task takes the scenario's latency and the ideal is
 * capacity / latency, {@code upstream} is exactly the ratio to the ideal, and the other parts are
 * what stands between the two:
 *
 * @param upstream the tasks' planned time: the only part the ideal counts as work
 * @param fleet the rest of the jobs' time in a slot: submission, the wait for the poll that sees
 *     the end, the download and storage (job accepted to its end decided, minus the task)
 * @param rampUp free slots before the capacity was first full (fetching and starting the first
 *     jobs)
 * @param refill free slots between then and the last job's start (a freed slot waiting for its next
 *     job)
 * @param drain free slots after the last job started: no job was left to fill them, plus the wait
 *     for the last terminal event to reach a reader
 */
record CapacityUse(double upstream, double fleet, double rampUp, double refill, double drain) {

  /** One job's stay in a slot, in ms from the window's start. */
  record Stay(long acceptedMs, long decidedMs, long plannedMs) {}

  /**
   * @param stays every measured job's stay
   * @param capacity slots (cap x workers)
   * @param windowMs the measured window (first job created to the last terminal event read)
   */
  static CapacityUse of(List<Stay> stays, int capacity, long windowMs) {
    double total = (double) capacity * Math.max(1, windowMs);
    long planned = 0;
    long occupied = 0;
    List<long[]> changes = new ArrayList<>(); // {time, +1 | -1}
    long lastStart = 0;
    for (Stay s : stays) {
      planned += s.plannedMs();
      occupied += s.decidedMs() - s.acceptedMs();
      changes.add(new long[] {s.acceptedMs(), 1});
      changes.add(new long[] {s.decidedMs(), -1});
      lastStart = Math.max(lastStart, s.acceptedMs());
    }
    // Ends before starts at one instant: a slot freed and refilled in the same millisecond was
    // never free.
    changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
    long firstFull = -1;
    long idleBeforeFull = 0;
    long idleBeforeLastStart = 0;
    long inFlight = 0;
    long at = 0;
    for (long[] change : changes) {
      long until = Math.min(change[0], windowMs);
      if (until > at) {
        long free = Math.max(0, capacity - inFlight);
        if (firstFull < 0) {
          idleBeforeFull += free * (until - at);
        }
        if (at < lastStart) {
          idleBeforeLastStart += free * (Math.min(until, lastStart) - at);
        }
        at = until;
      }
      inFlight += change[1];
      if (firstFull < 0 && inFlight >= capacity) {
        firstFull = change[0];
      }
    }
    long idleTotal = Math.max(0, Math.round(total) - occupied);
    long rampUp =
        firstFull < 0 ? idleBeforeLastStart : Math.min(idleBeforeFull, idleBeforeLastStart);
    long refill = Math.max(0, idleBeforeLastStart - rampUp);
    long drain = Math.max(0, idleTotal - rampUp - refill);
    return new CapacityUse(
        planned / total,
        (occupied - planned) / total,
        rampUp / total,
        refill / total,
        drain / total);
  }

  /** "upstream 86.1%, fleet 5.2%, ramp-up 1.3%, refill 0.9%, drain 6.5%" */
  String describe() {
    return String.format(
        "upstream %.1f%%, fleet %.1f%%, ramp-up %.1f%%, refill %.1f%%, drain %.1f%%",
        100 * upstream, 100 * fleet, 100 * rampUp, 100 * refill, 100 * drain);
  }
}
