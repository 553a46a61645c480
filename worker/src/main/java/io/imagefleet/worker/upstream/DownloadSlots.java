package io.imagefleet.worker.upstream;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Bounds the result downloads one worker has in progress at once. A download over the bound waits
 * in line without holding a thread and starts when one in progress ends. The line needs no bound of
 * its own: the intake's in-flight cap bounds the jobs, and each job downloads at most its {@code n}
 * images. Thread safe.
 */
final class DownloadSlots {
  private final int max;

  /**
   * Starts a download that waited: never on the thread that ended the previous one, so ends never
   * nest.
   */
  private final Executor handOver;

  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int busy; // guarded by this

  DownloadSlots(int max, Executor handOver) {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be > 0, but was " + max);
    }
    this.max = max;
    this.handOver = handOver;
  }

  /** Runs {@code download} now if a slot is free, else when one frees; completes as it does. */
  <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> download) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletableFuture<T> running;
          try {
            running = download.get();
          } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
          }
          running.whenComplete(
              (value, error) -> {
                release();
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(value);
                }
              });
        };
    boolean now;
    synchronized (this) {
      now = busy < max;
      if (now) {
        busy++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return result;
  }

  /** Downloads in progress now, for tests. */
  synchronized int busy() {
    return busy;
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        busy--; // else the slot passes straight to the next download
      }
    }
    if (next != null) {
      handOver.execute(next);
    }
  }
}
