package io.imagefleet.bench;

import java.util.OptionalDouble;

/**
 * The best throughput any consumer could reach in a scenario, whatever its overhead: no more jobs
 * can be finished per second than the in-flight capacity divided by the mean time a job spends in
 * the upstream (Little's law), and a batch cannot finish before its longest job, so a small batch
 * is also bound by its size over the longest latency. The lower of the two is the bound; with a
 * zero-latency upstream there is none (the run is CPU bound).
 */
final class IdealBound {
  private IdealBound() {}

  /**
   * @param capacity jobs the contender may carry at once, over all its workers
   * @param jobs jobs in the batch
   * @param meanMillis mean upstream latency of the batch's jobs
   * @param longestMillis longest upstream latency of the batch's jobs
   * @return jobs per second, or empty when the upstream takes no time
   */
  static OptionalDouble jobsPerSecond(
      int capacity, long jobs, double meanMillis, long longestMillis) {
    if (capacity <= 0 || jobs <= 0) {
      throw new IllegalArgumentException(
          "capacity and jobs must be > 0, but were " + capacity + " and " + jobs);
    }
    if (meanMillis <= 0 || longestMillis <= 0) {
      return OptionalDouble.empty();
    }
    double littles = capacity * 1000.0 / meanMillis;
    double batch = jobs * 1000.0 / longestMillis;
    return OptionalDouble.of(Math.min(littles, batch));
  }
}
