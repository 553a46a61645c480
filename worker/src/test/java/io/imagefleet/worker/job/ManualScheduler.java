package io.imagefleet.worker.job;

import io.imagefleet.sandbox.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A scheduler that runs nothing by itself: the test moves time on, and the tasks due by then run on
 * the test thread in time order, each with the clock set to its own time. Not thread safe.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final MutableClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long nowNanos;
  private long sequence;

  ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** Runs every task due within {@code by}, then leaves the clock {@code by} later. */
  void advance(Duration by) {
    long until = nowNanos + by.toNanos();
    while (!queue.isEmpty() && queue.peek().at <= until) {
      Task<?> next = queue.poll();
      moveTo(next.at);
      next.run();
    }
    moveTo(until);
  }

  /**
   * Runs tasks in time order until {@code condition} holds or nothing is left within {@code limit}.
   */
  void runUntil(BooleanSupplier condition, Duration limit) {
    long until = nowNanos + limit.toNanos();
    while (!condition.getAsBoolean() && !queue.isEmpty() && queue.peek().at <= until) {
      Task<?> next = queue.poll();
      moveTo(next.at);
      next.run();
    }
  }

  /** Tasks scheduled and not yet run or cancelled. */
  long pending() {
    return queue.stream().filter(t -> !t.isCancelled()).count();
  }

  private void moveTo(long at) {
    if (at > nowNanos) {
      clock.advance(Duration.ofNanos(at - nowNanos));
      nowNanos = at;
    }
  }

  private <V> ScheduledFuture<V> add(Callable<V> work, long delayNanos) {
    Task<V> task = new Task<>(work, nowNanos + Math.max(0, delayNanos), sequence++);
    queue.add(task);
    return task;
  }

  @Override
  public void execute(Runnable command) {
    add(Executors.callable(command), 0);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(Executors.callable(command), unit.toNanos(delay));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(callable, unit.toNanos(delay));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by job runs");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by job runs");
  }

  @Override
  public void shutdown() {
    queue.clear();
  }

  @Override
  public List<Runnable> shutdownNow() {
    queue.clear();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final long at;
    private final long order;

    Task(Callable<V> work, long at, long order) {
      super(work);
      this.at = at;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - nowNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
    }
  }
}
