package io.imagefleet.worker.resilience;

import io.imagefleet.worker.config.WorkerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The configured routes in price order, each with its {@link RouteGuard}. Thread safe.
 */
public final class RouteTable {
  private final Map<String, RouteGuard> guards = new LinkedHashMap<>();

  public RouteTable(WorkerConfig config, ScheduledExecutorService scheduler) {
    config.routes().forEach(route ->
        guards.put(route.model(), new RouteGuard(route.model(), config.breaker(), config.retry(), scheduler)));
  }

  public Optional<RouteGuard> guard(String model) {
    return Optional.ofNullable(guards.get(model));
  }

  public List<RouteGuard> all() {
    return List.copyOf(guards.values());
  }

  /**
   * The routes to try for a job, in order: its own route first, then, if it allows fallback, the
   * other routes from cheapest to dearest. Routes whose breaker is open go last rather than away, so
   * a job whose every route is down still reaches a terminal answer instead of an empty plan.
   */
  public List<RouteGuard> plan(String jobRoute, boolean allowFallback) {
    List<RouteGuard> plan = new ArrayList<>();
    guard(jobRoute).ifPresent(plan::add);
    if (allowFallback) {
      guards.values().stream().filter(g -> !g.model().equals(jobRoute)).forEach(plan::add);
    }
    List<RouteGuard> available = new ArrayList<>(plan.stream().filter(RouteGuard::isAvailable).toList());
    plan.stream().filter(g -> !g.isAvailable()).forEach(available::add);
    return Collections.unmodifiableList(available);
  }
}
