package io.imagefleet.worker.callback;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs each tenant's deliveries on a shared pool, at most {@code perTenant} of them at once per
 * tenant: the rest of a tenant's work waits in its own lane. A tenant whose receiver is slow (a
 * tarpit that holds every request until the timeout) therefore holds at most {@code perTenant} of
 * the pool's threads, and the other tenants' deliveries go on on the others. Thread safe; what
 * waits is bounded by the deliveries the owner hands in ({@code callbacks.max-pending}).
 */
final class TenantLanes {
  private final Executor pool;
  private final int perTenant;
  private final Map<String, Lane> lanes = new HashMap<>();

  private static final class Lane {
    int running;
    final Queue<Runnable> waiting = new ArrayDeque<>();
  }

  TenantLanes(Executor pool, int perTenant) {
    this.pool = pool;
    this.perTenant = perTenant;
  }

  <T> CompletableFuture<T> run(String tenant, Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable work =
        () -> {
          try {
            result.complete(task.get());
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
          } finally {
            done(tenant);
          }
        };
    boolean start;
    synchronized (lanes) {
      Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
      start = lane.running < perTenant;
      if (start) {
        lane.running++;
      } else {
        lane.waiting.add(work);
      }
    }
    if (start) {
      pool.execute(work);
    }
    return result;
  }

  private void done(String tenant) {
    Runnable next;
    synchronized (lanes) {
      Lane lane = lanes.get(tenant);
      next = lane.waiting.poll();
      if (next == null) {
        lane.running--;
        if (lane.running == 0) {
          lanes.remove(tenant);
        }
      }
    }
    if (next != null) {
      pool.execute(next);
    }
  }
}
