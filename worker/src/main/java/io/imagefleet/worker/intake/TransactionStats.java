package io.imagefleet.worker.intake;

/**
 * What the intake's transactions cost: how many, how long from begin to commit, how many job
 * endings each carried. Written by the intake thread only; read for reports.
 */
public final class TransactionStats {
  private long transactions;
  private long endings;
  private long totalNanos;
  private long maxNanos;

  void committed(int endingCount, long nanos) {
    transactions++;
    endings += endingCount;
    totalNanos += nanos;
    maxNanos = Math.max(maxNanos, nanos);
  }

  public long transactions() {
    return transactions;
  }

  public double meanMillis() {
    return transactions == 0 ? 0 : totalNanos / 1e6 / transactions;
  }

  public double millisPerEnding() {
    return endings == 0 ? 0 : totalNanos / 1e6 / endings;
  }

  @Override
  public String toString() {
    return String.format(
        "%d committed, %d job ending(s), %.1f endings each, mean %.2f ms, max %.2f ms, %.3f ms per ending",
        transactions,
        endings,
        transactions == 0 ? 0.0 : (double) endings / transactions,
        meanMillis(),
        maxNanos / 1e6,
        millisPerEnding());
  }
}
