package io.imagefleet.worker.resilience;

import io.imagefleet.worker.config.RouteSettings;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.resilience.WorkerDemand.Answers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The configured routes, each with its {@link RouteGuard}, and the lanes that pace their calls: one
 * lane of creations per route and one lane of queries for all (one API key, one query limit).
 * Thread safe.
 */
public final class RouteTable {
  private final Map<String, RouteGuard> guards = new LinkedHashMap<>();
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final FleetLink fleet;
  private final String workerId;
  private final Clock clock;
  private Set<String> announced; // guarded by this; null until first told

  /**
   * @param nanoTime the clock the lanes pace calls by ({@code System::nanoTime}); the scheduler's
   *     delays must be on the same clock
   */
  public RouteTable(
      WorkerConfig config,
      FleetLink fleet,
      ScheduledExecutorService scheduler,
      Clock clock,
      LongSupplier nanoTime) {
    this.fleet = fleet;
    this.workerId = config.workerId();
    this.clock = clock;
    LaneFactory lane =
        (name, configured, initial) -> {
          Lane made =
              new Lane(
                  name,
                  configured,
                  initial,
                  config.rates(),
                  fleet,
                  config.workerId(),
                  scheduler,
                  clock,
                  nanoTime);
          made.whenBusy(() -> tellDemand(false));
          lanes.put(name, made);
          return made;
        };
    Lane queries = lane.create(Lane.QUERIES, 0, 0);
    for (RouteSettings route : config.routes()) {
      Lane creations =
          lane.create(
              Lane.creations(route.model()),
              route.rateLimitPerSecond(),
              config.rates().initialCreatesPerSecond());
      guards.put(
          route.model(),
          new RouteGuard(
              route, config.breaker(), config.retry(), creations, queries, scheduler, clock));
    }
    if (config.rates().sharedLimit()) {
      queries.alsoSlows(guards.values().stream().map(RouteGuard::creations).toList());
    }
  }

  /**
   * Once a second: lets each lane raise its rate (see {@link Lane}), and tells the fleet of lanes
   * that went idle.
   */
  public void tick() {
    lanes.values().forEach(Lane::tick);
    tellDemand(true);
  }

  /**
   * Tells the fleet on which lanes this worker wants more than its part, and how its calls were
   * answered lately: at once when a lane turns busy, so the others make room soon, and at every
   * tick ({@code everyTick}), so the fleet judges limits on everyone's recent answers.
   */
  private void tellDemand(boolean everyTick) {
    WorkerDemand demand;
    synchronized (this) {
      Set<String> busy = new TreeSet<>();
      lanes.values().stream().filter(Lane::busy).forEach(l -> busy.add(l.name()));
      if (!everyTick && busy.equals(announced)) {
        return;
      }
      announced = busy;
      lanes.values().forEach(l -> l.announcedBusy(busy.contains(l.name())));
      Map<String, Answers> answers = new TreeMap<>();
      lanes.values().stream()
          .filter(l -> !l.answers().equals(Answers.NONE))
          .forEach(l -> answers.put(l.name(), l.answers()));
      demand = new WorkerDemand(workerId, List.copyOf(busy), answers, clock.instant());
    }
    fleet.demandChanged(demand);
  }

  public Optional<RouteGuard> guard(String model) {
    return Optional.ofNullable(guards.get(model));
  }

  public List<RouteGuard> all() {
    return List.copyOf(guards.values());
  }

  /** Every lane: the queries first, then each route's creations. */
  public List<Lane> lanes() {
    return List.copyOf(lanes.values());
  }

  /**
   * Applies what a worker of the fleet shared about a lane; lanes this worker lacks are ignored.
   */
  public void adopt(LaneState state) {
    Lane lane = lanes.get(state.lane());
    if (lane != null) {
      lane.adopt(state);
    }
  }

  /** Whether at least one route can take creations. */
  public boolean anyAvailable() {
    return guards.values().stream().anyMatch(RouteGuard::isAvailable);
  }

  /**
   * The routes a job may use, in the order to try them: its own route first; then, if it allows
   * fallback, every other route whose model can do the job and that it can afford, cheapest first
   * (the gateway's own promise, made explicit, and kept only where the job would be served the
   * same). Availability is judged when each route's turn comes, so the plan stays stable.
   *
   * @param cost what the job would cost on a route (its estimate), for ordering
   * @param capable whether a route's model can do the job (its prompt, size, quality, images)
   * @param affordable whether the job's own cost ceiling admits a route
   */
  public <C extends Comparable<C>> List<RouteGuard> plan(
      String jobRoute,
      boolean allowFallback,
      Function<RouteSettings, C> cost,
      Predicate<RouteSettings> capable,
      Predicate<RouteSettings> affordable) {
    List<RouteGuard> plan = new ArrayList<>();
    guard(jobRoute).ifPresent(plan::add);
    if (allowFallback) {
      guards.values().stream()
          .filter(g -> !g.model().equals(jobRoute))
          .filter(g -> capable.test(g.settings()))
          .filter(g -> affordable.test(g.settings()))
          .sorted(Comparator.comparing(g -> cost.apply(g.settings())))
          .forEach(plan::add);
    }
    return List.copyOf(plan);
  }

  /** A lane of this table, registered as it is made. */
  @FunctionalInterface
  private interface LaneFactory {
    Lane create(String name, double configured, double initial);
  }
}
