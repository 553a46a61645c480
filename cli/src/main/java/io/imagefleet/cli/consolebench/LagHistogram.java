package io.imagefleet.cli.consolebench;

/**
 * Lags in whole milliseconds, counted per millisecond up to a minute: percentiles of millions of
 * deliveries in a few hundred kilobytes, whatever the run's length. Owned by one thread.
 */
final class LagHistogram {
  private static final int MAX_MS = 60_000;

  private final long[] counts = new long[MAX_MS + 1];
  private long total;
  private long max;

  void record(long lagMs) {
    long ms = Math.max(0, lagMs);
    counts[(int) Math.min(ms, MAX_MS)]++;
    total++;
    max = Math.max(max, ms);
  }

  long count() {
    return total;
  }

  long maxMs() {
    return max;
  }

  /** Nearest rank; a lag beyond a minute counts as a minute. */
  long percentileMs(double p) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100 * total));
    long seen = 0;
    for (int ms = 0; ms <= MAX_MS; ms++) {
      seen += counts[ms];
      if (seen >= rank) {
        return ms;
      }
    }
    return MAX_MS;
  }
}
