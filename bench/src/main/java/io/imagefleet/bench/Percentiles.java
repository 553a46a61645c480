package io.imagefleet.bench;

import java.util.Arrays;

/**
 * Percentiles of a sample by the nearest-rank rule: the p-th percentile is the smallest value with
 * at least p% of the sample at or below it. No interpolation, so every figure printed is a value
 * that was measured.
 */
record Percentiles(long[] sorted) {

  Percentiles {
    sorted = sorted.clone();
    Arrays.sort(sorted);
  }

  static Percentiles of(long[] values) {
    return new Percentiles(values);
  }

  int count() {
    return sorted.length;
  }

  boolean isEmpty() {
    return sorted.length == 0;
  }

  /** The p-th percentile, {@code 0 < p <= 100}; throws on an empty sample. */
  long at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("p must be in (0, 100], but was " + p);
    }
    if (sorted.length == 0) {
      throw new IllegalStateException("no values");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  long max() {
    return at(100);
  }

  double mean() {
    return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
  }
}
