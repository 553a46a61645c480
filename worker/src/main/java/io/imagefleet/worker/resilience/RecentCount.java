package io.imagefleet.worker.resilience;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Events over the last {@link #WINDOW_NANOS}, sliding in tenths of a second: long enough that a
 * worker's part of a slow rate is not all rounding, short enough to describe now, and current to
 * the last tenth so a burst of 429s is seen while it happens rather than at the next whole second.
 * Thread safe.
 */
final class RecentCount {
  static final long WINDOW_NANOS = 2_000_000_000L;
  private static final int SLOTS = 20;
  private static final long SLOT_NANOS = WINDOW_NANOS / SLOTS;

  private final LongSupplier nanoTime;
  private final int[] counts = new int[SLOTS];
  private long slot = Long.MIN_VALUE;

  RecentCount(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  synchronized void count() {
    roll();
    counts[Math.floorMod(slot, SLOTS)]++;
  }

  /** Events within the window. */
  synchronized int total() {
    roll();
    int sum = 0;
    for (int c : counts) {
      sum += c;
    }
    return sum;
  }

  synchronized double perSecond() {
    return total() * 1e9 / WINDOW_NANOS;
  }

  private void roll() {
    long now = Math.floorDiv(nanoTime.getAsLong(), SLOT_NANOS);
    if (slot == Long.MIN_VALUE || now - slot >= SLOTS) {
      Arrays.fill(counts, 0);
    } else {
      for (long s = slot + 1; s <= now; s++) {
        counts[Math.floorMod(s, SLOTS)] = 0;
      }
    }
    slot = Math.max(slot, now);
  }
}
