package io.imagefleet.worker.resilience;

import io.imagefleet.worker.config.RouteSettings;
import io.imagefleet.worker.config.WorkerConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Predicate;

/** The configured routes, each with its {@link RouteGuard}. Thread safe. */
public final class RouteTable {
  private final Map<String, RouteGuard> guards = new LinkedHashMap<>();

  public RouteTable(WorkerConfig config, ScheduledExecutorService scheduler) {
    config
        .routes()
        .forEach(
            route ->
                guards.put(
                    route.model(),
                    new RouteGuard(route, config.breaker(), config.retry(), scheduler)));
  }

  public Optional<RouteGuard> guard(String model) {
    return Optional.ofNullable(guards.get(model));
  }

  public List<RouteGuard> all() {
    return List.copyOf(guards.values());
  }

  /** Whether at least one route's breaker lets calls through. */
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
}
