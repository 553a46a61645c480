package io.imagefleet.worker.resilience;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Lets calls start no faster than a rate, and none before a cooldown ends. Callers wait in arrival
 * order without holding a thread: each waiting call is a future the scheduler completes. A new rate
 * applies at once to every call already waiting, which a reservation-based limiter cannot do: a cut
 * after a 429 must slow the calls already queued, not only the ones that come later. Starts are
 * spread evenly (no burst after an idle spell), which is what a gateway's token bucket tolerates
 * best. The queue needs no bound of its own: each job waits for at most one call, and jobs in
 * flight are bounded. A call its caller gave up while it waited (the job was handed over) leaves
 * the queue when its turn comes without taking a start, so the pace goes to calls still wanted.
 * Thread safe.
 */
final class Pacer {
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private long intervalNanos; // 0: unlimited
  private long nextStart;
  private long coolUntil;
  private long wakeAt;
  private boolean wakeScheduled;

  Pacer(ScheduledExecutorService scheduler, LongSupplier nanoTime) {
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    this.nextStart = now;
    this.coolUntil = now;
  }

  /** Completes when the call may start; never exceptionally. */
  CompletableFuture<Void> permit() {
    return permit(() -> true).thenAccept(go -> {});
  }

  /**
   * Completes with {@code true} when the call may start, or with {@code false} without taking a
   * start when its turn comes and {@code wanted} says the caller gave it up; never exceptionally.
   */
  CompletableFuture<Boolean> permit(BooleanSupplier wanted) {
    CompletableFuture<Boolean> permit = new CompletableFuture<>();
    synchronized (this) {
      waiting.add(new Waiting(permit, wanted));
    }
    release();
    return permit;
  }

  /** Calls per second from now on; 0 or less for no limit. */
  void rate(double perSecond) {
    synchronized (this) {
      long interval = perSecond > 0 ? (long) (1_000_000_000L / perSecond) : 0L;
      // A slower rate also pushes back the next start already planned at the faster one.
      if (nextStart - nanoTime.getAsLong() > 0) {
        nextStart += Math.max(0, interval - intervalNanos);
      }
      intervalNanos = interval;
    }
    release();
  }

  /** No call starts before {@code nanos} (on the pacer's clock). */
  void coolUntil(long nanos) {
    synchronized (this) {
      if (nanos - coolUntil > 0) {
        coolUntil = nanos;
      }
    }
    release();
  }

  synchronized int waiting() {
    return waiting.size();
  }

  /** Whether calls are held by a cooldown now. */
  synchronized boolean isCooling() {
    return coolUntil - nanoTime.getAsLong() > 0;
  }

  private void release() {
    List<CompletableFuture<Boolean>> ready = new ArrayList<>();
    List<CompletableFuture<Boolean>> givenUp = new ArrayList<>();
    synchronized (this) {
      long now = nanoTime.getAsLong();
      while (!waiting.isEmpty()) {
        if (!waiting.peek().wanted().getAsBoolean()) {
          givenUp.add(waiting.poll().permit());
          continue;
        }
        long start = nextStart - coolUntil > 0 ? nextStart : coolUntil;
        if (start - now > 0) {
          wakeAt(start);
          break;
        }
        ready.add(waiting.poll().permit());
        nextStart = (nextStart - now > 0 ? nextStart : now) + intervalNanos;
      }
    }
    // Completed outside the lock: a permit's dependents start the HTTP call.
    givenUp.forEach(permit -> permit.complete(false));
    ready.forEach(permit -> permit.complete(true));
  }

  /** Holding this. */
  private void wakeAt(long when) {
    if (wakeScheduled && wakeAt - when <= 0) {
      return;
    }
    try {
      scheduler.schedule(this::wake, when - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
      wakeScheduled = true;
      wakeAt = when;
    } catch (RejectedExecutionException e) {
      // The worker is stopping: the calls still waiting belong to jobs being handed over.
    }
  }

  private void wake() {
    synchronized (this) {
      if (wakeAt - nanoTime.getAsLong() <= 0) {
        wakeScheduled = false;
      }
    }
    release();
  }

  private record Waiting(CompletableFuture<Boolean> permit, BooleanSupplier wanted) {}
}
