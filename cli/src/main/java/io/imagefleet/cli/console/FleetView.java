package io.imagefleet.cli.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.cli.redrive.RedriveProgress;
import io.imagefleet.worker.budget.BudgetStanding;
import io.imagefleet.worker.budget.BudgetStanding.TenantBudget;
import io.imagefleet.worker.callback.OwedCallback;
import io.imagefleet.worker.metrics.WorkerStatus;
import io.imagefleet.worker.resilience.Lane.LaneView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet as its heartbeats, budget ledger, callback deliveries and dead letters tell it: each
 * worker's latest status, what the live ones add up to per tenant and per lane, each tenant's spend
 * against its budget, the deliveries of callbacks ({@link CallbackView}) and the newest dead
 * letters. Bounded like {@link JobView}.
 *
 * <p>A worker is <em>stale</em> when its last heartbeat is older than {@code staleAfter}: it
 * stopped without its tombstone (a SIGKILL, a lost host) or cannot reach Kafka. Its last beat still
 * says it runs jobs, which its partitions' next owner runs now; so it is listed, marked, and left
 * out of the sums.
 *
 * <p>Written by the feed thread, read by the HTTP threads: every method holds this object's lock,
 * and what leaves it is immutable.
 */
final class FleetView {
  /** A fleet larger than this is not one console's page; the stalest heartbeats leave first. */
  static final int MAX_WORKERS = 1000;

  /** Callback deliveries kept: enough to count the recent ones by state. */
  static final int MAX_CALLBACKS = 1000;

  private final int maxDeadLetters;
  private final Duration staleAfter;
  private final Clock clock;
  private final LinkedHashMap<String, WorkerStatus> workers = new LinkedHashMap<>();
  private final BudgetStanding budgets = new BudgetStanding();
  private final CallbackView callbacks = new CallbackView(MAX_CALLBACKS);
  private final Deque<DeadLetter> deadLetters = new ArrayDeque<>();
  private Group group;
  private Map<Integer, RedriveProgress> redriven = Map.of();

  FleetView(int maxDeadLetters, Duration staleAfter, Clock clock) {
    if (maxDeadLetters <= 0) {
      throw new IllegalArgumentException("maxDeadLetters must be > 0, but was " + maxDeadLetters);
    }
    this.maxDeadLetters = maxDeadLetters;
    this.staleAfter = staleAfter;
    this.clock = clock;
  }

  /**
   * A dead letter without its value: the reason and where it came from, and whether the redrive
   * group has dealt with it (redriven from a console or the CLI, or passed over by a CLI run).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeadLetter(
      int partition,
      long offset,
      String key,
      String reason,
      String errorClass,
      String originalTopic,
      String originalPartition,
      String originalOffset,
      String worker,
      String failedAt,
      String truncated,
      Instant recordedAt,
      boolean redriven) {
    DeadLetter redriven(boolean dealtWith) {
      return new DeadLetter(
          partition,
          offset,
          key,
          reason,
          errorClass,
          originalTopic,
          originalPartition,
          originalOffset,
          worker,
          failedAt,
          truncated,
          recordedAt,
          dealtWith);
    }
  }

  /** A member of the workers' consumer group: the partitions it owns, by topic. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Member(String workerId, String host, Map<String, List<Integer>> partitions) {
    Member {
      partitions = Map.copyOf(partitions);
    }
  }

  /** The workers' consumer group as the Admin API last told it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Group(String name, String state, List<Member> members) {
    Group {
      members = List.copyOf(members);
    }
  }

  /** Per tenant, summed over the workers: jobs running and records waiting for a slot. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record TenantLoad(String tenant, int inFlight, int waiting) {}

  /**
   * Per lane, over the workers: the fleet's rate (the same on every worker, so the highest seen),
   * the workers' parts and 429s summed, the latest cooldown and route-down ends.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LaneLoad(
      String lane,
      double fleetRate,
      double localRate,
      long throttled,
      Instant coolingUntil,
      Instant downUntil,
      int waiting) {}

  /** Per route: how many workers see its breaker in each state. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record RouteBreakers(String route, Map<String, Integer> states) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Fleet(
      Group group,
      List<WorkerStatus> workers,
      List<TenantLoad> tenants,
      List<LaneLoad> lanes,
      List<RouteBreakers> routes,
      List<DeadLetter> deadLetters,
      List<String> staleWorkers,
      List<TenantBudget> budgets,
      CallbackView.Callbacks callbacks) {}

  /** A heartbeat; null (a tombstone) removes the worker. */
  synchronized void heartbeat(String workerId, WorkerStatus status) {
    workers.remove(workerId);
    if (status != null) {
      workers.put(workerId, status);
    }
    Iterator<String> eldest = workers.keySet().iterator();
    while (workers.size() > MAX_WORKERS) {
      eldest.next();
      eldest.remove();
    }
  }

  /** The latest record of a callback delivery; null (a tombstone) forgets it. */
  void callback(String webhookId, OwedCallback latest) {
    callbacks.record(webhookId, latest);
  }

  /** A record of the budget ledger topic, in its partition's order. */
  synchronized void budgetRecord(byte[] value) {
    budgets.apply(value);
  }

  synchronized void group(Group latest) {
    group = latest;
  }

  /** The redrive group's progress, by dead-letter partition. */
  synchronized void redriveProgress(Map<Integer, RedriveProgress> byPartition) {
    redriven = Map.copyOf(byPartition);
  }

  synchronized void deadLetter(DeadLetter letter) {
    deadLetters.addLast(letter);
    while (deadLetters.size() > maxDeadLetters) {
      deadLetters.pollFirst();
    }
  }

  /**
   * The fleet as {@code viewer} may see it: a tenant gets its own tenant load, budget and callbacks
   * and the fleet's lanes and routes; not the workers (their heartbeats count every tenant's jobs),
   * the group or the dead letters (any producer's records).
   */
  synchronized Fleet snapshot(Viewer viewer) {
    Fleet all = snapshot();
    if (viewer.isOperator()) {
      return all;
    }
    return new Fleet(
        null,
        List.of(),
        all.tenants().stream().filter(t -> viewer.sees(t.tenant())).toList(),
        all.lanes(),
        all.routes(),
        List.of(),
        List.of(),
        all.budgets().stream().filter(b -> viewer.sees(b.tenant())).toList(),
        callbacks.snapshot(viewer));
  }

  /** The whole fleet, as the operator sees it. */
  synchronized Fleet snapshot() {
    Map<String, int[]> tenants = new TreeMap<>();
    Map<String, LaneLoad> lanes = new TreeMap<>();
    Map<String, Map<String, Integer>> routes = new TreeMap<>();
    Instant now = clock.instant();
    Instant heardSince = now.minus(staleAfter);
    List<String> stale = new ArrayList<>();
    for (WorkerStatus w : workers.values()) {
      if (w.updatedAt() == null || w.updatedAt().isBefore(heardSince)) {
        stale.add(w.workerId());
        continue;
      }
      w.tenantsInFlight().forEach((t, n) -> tenants.computeIfAbsent(t, k -> new int[2])[0] += n);
      w.tenantsWaiting().forEach((t, n) -> tenants.computeIfAbsent(t, k -> new int[2])[1] += n);
      for (LaneView l : w.lanes()) {
        lanes.merge(l.lane(), load(l), FleetView::add);
      }
      w.breakers()
          .forEach(
              (route, state) ->
                  routes
                      .computeIfAbsent(route, r -> new TreeMap<>())
                      .merge(state, 1, Integer::sum));
    }
    List<DeadLetter> newestFirst = new ArrayList<>();
    deadLetters
        .descendingIterator()
        .forEachRemaining(
            d -> {
              RedriveProgress p = redriven.get(d.partition());
              newestFirst.add(d.redriven(p != null && p.covers(d.offset())));
            });
    return new Fleet(
        group,
        workers.values().stream()
            .sorted(java.util.Comparator.comparing(WorkerStatus::workerId))
            .toList(),
        tenants.entrySet().stream()
            .map(e -> new TenantLoad(e.getKey(), e.getValue()[0], e.getValue()[1]))
            .toList(),
        List.copyOf(lanes.values()),
        routes.entrySet().stream()
            .map(e -> new RouteBreakers(e.getKey(), Map.copyOf(e.getValue())))
            .toList(),
        List.copyOf(newestFirst),
        stale.stream().sorted().toList(),
        budgets.tenants(now),
        callbacks.snapshot(Viewer.OPERATOR));
  }

  private static LaneLoad load(LaneView l) {
    return new LaneLoad(
        l.lane(),
        l.fleetRate(),
        l.localRate(),
        l.throttled(),
        l.coolingUntil(),
        l.downUntil(),
        l.waiting());
  }

  private static LaneLoad add(LaneLoad a, LaneLoad b) {
    return new LaneLoad(
        a.lane(),
        Math.max(a.fleetRate(), b.fleetRate()),
        a.localRate() + b.localRate(),
        a.throttled() + b.throttled(),
        later(a.coolingUntil(), b.coolingUntil()),
        later(a.downUntil(), b.downUntil()),
        a.waiting() + b.waiting());
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
