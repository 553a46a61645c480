package io.imagefleet.bench;

import io.imagefleet.bench.contenders.Kind;
import java.util.Optional;

/**
 * The figures of one contender run.
 *
 * @param contender who ran
 * @param workers contender JVMs
 * @param maxInFlight in-flight cap per JVM (1 for the sequential consumer, whatever was asked)
 * @param jobsFed jobs published for it
 * @param completed jobs whose terminal event was seen in the measured window
 * @param failed of those, FAILED ones (a healthy run has none)
 * @param duplicates terminal events seen twice for one job
 * @param seconds measured window: first job created to the last terminal event read
 * @param throughput completed / seconds
 * @param ideal the scenario's ideal bound for this capacity (null: none, zero latency)
 * @param meanInFlight jobs in flight on average over the window (Little's law: the sum of every
 *     job's accepted-to-ended time over the window), against the cap x workers: how full the
 *     contender kept its capacity, ramp-up and tail included
 * @param capacityUse where that capacity went: the tasks, the fleet's own time in a slot, free
 *     slots at the ramp-up, between jobs and at the drain (null: nothing measured)
 * @param e2e job created to its terminal event reaching a {@code read_committed} reader, ms
 *     (includes the wait in the jobs topic for a free in-flight slot)
 * @param overhead job accepted to its terminal event reaching that reader, minus the task's planned
 *     upstream time, ms: what the contender added to the job
 * @param submitLag overhead, part 1: job accepted to upstream task created, ms
 * @param collectLag overhead, part 2: task ended (by plan) to the terminal event's {@code
 *     occurred_at}, ms: the wait for the poll that sees the end, the download, verification and
 *     storage
 * @param recordWindow task created at the upstream to the SUBMITTED event's {@code occurred_at},
 *     ms: for imagefleet, the window in which a crash costs a second task (the answer's transit and
 *     the acknowledged SUBMITTED state write)
 * @param deliveryLag overhead, part 3: terminal event's {@code occurred_at} to its arrival at a
 *     {@code read_committed} reader, ms: producer, broker and, for a transactional worker, the wait
 *     for the commit
 * @param cpuMsPerJob CPU time of the contender JVMs over the window, per completed job
 * @param jitCpuMsPerJob the part of it their JIT compiler threads used: a once-per-JVM cost that a
 *     benchmark of seconds cannot amortise as a long-running worker does
 * @param peakHeapBytes highest heap use sampled in any of its JVMs (every 20 ms)
 * @param peakRssBytes highest peak RSS (VmHWM) of any of its JVMs
 * @param createsPerJob upstream create calls per completed job (simulator's count)
 * @param pollsPerJob upstream query calls per completed job
 * @param downloadsPerJob image downloads per completed job
 * @param benchCpuMsPerJob CPU of the benchmark JVM (broker, simulator, feeder, collector) per job
 * @param simulatorCpuMsPerJob CPU of the upstream simulator's threads per job (part of the above)
 * @param liveHeap live heap after a full GC, idle and at the in-flight peak (null unless asked)
 * @param rateLimits how the contender did against the upstream's rate limits (null unless the
 *     scenario limits them)
 * @param neighbours how the quiet tenant waited behind the busy one (null unless the run published
 *     a load of tenants)
 */
record RunResult(
    Kind contender,
    int workers,
    int maxInFlight,
    int jobsFed,
    int completed,
    int failed,
    int duplicates,
    double seconds,
    double throughput,
    Double ideal,
    double meanInFlight,
    CapacityUse capacityUse,
    Latencies e2e,
    Latencies overhead,
    Latencies submitLag,
    Latencies collectLag,
    Latencies recordWindow,
    Latencies deliveryLag,
    double cpuMsPerJob,
    double jitCpuMsPerJob,
    long peakHeapBytes,
    long peakRssBytes,
    double createsPerJob,
    double pollsPerJob,
    double downloadsPerJob,
    double benchCpuMsPerJob,
    double simulatorCpuMsPerJob,
    LiveHeap liveHeap,
    RateLimitFigures rateLimits,
    NoisyNeighbourFigures neighbours) {

  Double ratioToIdeal() {
    return ideal == null || ideal == 0 ? null : throughput / ideal;
  }

  /**
   * CPU per job without the JIT compiler's: what the work itself costs once the JVM has compiled
   * it.
   */
  double workCpuMsPerJob() {
    return cpuMsPerJob - jitCpuMsPerJob;
  }

  /**
   * Jobs per second {@code cores} would carry if the work were all they did: only for a
   * zero-latency run (no ideal bound), where CPU is what limits a worker.
   */
  Optional<Double> cpuBoundCeiling(int cores) {
    return ideal == null && workCpuMsPerJob() > 0
        ? Optional.of(cores * 1000.0 / workCpuMsPerJob())
        : Optional.empty();
  }

  /** Jobs fed without a terminal event in the measured window. */
  int lost() {
    return jobsFed - completed;
  }

  double requestsPerJob() {
    return createsPerJob + pollsPerJob + downloadsPerJob;
  }

  /** p50/p95/p99/max in milliseconds; null fields when there was nothing to measure. */
  record Latencies(Long p50, Long p95, Long p99, Long max) {
    static final Latencies NONE = new Latencies(null, null, null, null);

    static Latencies of(long[] millis) {
      if (millis.length == 0) {
        return NONE;
      }
      Percentiles p = Percentiles.of(millis);
      return new Latencies(p.at(50), p.at(95), p.at(99), p.max());
    }
  }

  /**
   * @param idleBytes live heap with nothing in flight (after the warm-up)
   * @param peakBytes live heap at the in-flight peak
   * @param inFlight jobs in flight when the peak was measured
   * @param afterBytes live heap once the whole batch has ended: what a worker keeps of ended jobs
   */
  record LiveHeap(long idleBytes, long peakBytes, int inFlight, long afterBytes) {
    /**
     * Heap per in-flight job: what the peak holds beyond the idle worker, shared among the jobs.
     */
    double bytesPerJob() {
      return inFlight == 0 ? 0 : (double) (peakBytes - idleBytes) / inFlight;
    }
  }
}
