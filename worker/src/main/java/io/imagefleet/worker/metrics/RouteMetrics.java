package io.imagefleet.worker.metrics;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.imagefleet.worker.resilience.Lane;
import io.imagefleet.worker.resilience.Lane.LaneView;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.resilience.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds each route's Resilience4j breaker and retry to Micrometer through their event publishers:
 * upstream call latency (a histogram per route and outcome: creations measured by the breaker,
 * queries by the route's query timer), breaker state, calls the open breaker refused, and retries;
 * and each lane's pace: the fleet's rate and this worker's part, 429s, cooldown and route down.
 * Also logs each breaker transition, which operators want to see next to the jobs it affects.
 */
final class RouteMetrics {
  private static final Logger log = LoggerFactory.getLogger(RouteMetrics.class);

  private final List<RouteGuard> routes;
  private final List<Lane> lanes;

  RouteMetrics(RouteTable table) {
    this.routes = table.all();
    this.lanes = table.lanes();
  }

  void bindTo(MeterRegistry registry) {
    for (RouteGuard route : routes) {
      bind(registry, route);
    }
    for (Lane lane : lanes) {
      bind(registry, lane);
    }
  }

  /** What each lane is doing now, for {@code /status} and heartbeats. */
  List<LaneView> lanes() {
    return lanes.stream().map(Lane::view).toList();
  }

  private static void bind(MeterRegistry registry, Lane lane) {
    Gauge.builder("imagefleet.lane.rate", lane, l -> l.view().fleetRate())
        .description("Calls per second the fleet allows itself on the lane (0: not limited)")
        .tag("lane", lane.name())
        .tag("scope", "fleet")
        .register(registry);
    Gauge.builder("imagefleet.lane.rate", lane, l -> l.view().localRate())
        .description("Calls per second the fleet allows itself on the lane (0: not limited)")
        .tag("lane", lane.name())
        .tag("scope", "worker")
        .register(registry);
    FunctionCounter.builder("imagefleet.lane.throttled", lane, Lane::throttledCalls)
        .description("Calls the upstream answered 429 (slow down) on the lane")
        .tag("lane", lane.name())
        .register(registry);
    Gauge.builder("imagefleet.lane.cooling", lane, l -> l.view().coolingUntil() != null ? 1 : 0)
        .description("1 while the lane waits out the upstream's Retry-After, else 0")
        .tag("lane", lane.name())
        .register(registry);
    Gauge.builder("imagefleet.lane.down", lane, l -> l.view().downUntil() != null ? 1 : 0)
        .description("1 while a worker of the fleet saw the route down, else 0")
        .tag("lane", lane.name())
        .register(registry);
    Gauge.builder("imagefleet.lane.waiting", lane, l -> l.view().waiting())
        .description("Calls waiting for their turn on the lane")
        .tag("lane", lane.name())
        .register(registry);
  }

  /** Route -> breaker state name, for {@code /status} and heartbeats. */
  Map<String, String> breakerStates() {
    Map<String, String> states = new LinkedHashMap<>();
    routes.forEach(r -> states.put(r.model(), r.circuitBreaker().getState().name()));
    return states;
  }

  private static void bind(MeterRegistry registry, RouteGuard route) {
    String model = route.model();
    CircuitBreaker breaker = route.circuitBreaker();
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      Gauge.builder("imagefleet.breaker.state", breaker, b -> b.getState() == state ? 1 : 0)
          .description("1 for the route's current circuit breaker state, else 0")
          .tag("route", model)
          .tag("state", state.name())
          .register(registry);
    }
    Timer success = latency(registry, model, "success");
    Timer failure = latency(registry, model, "failure");
    Timer ignored = latency(registry, model, "rejected_request");
    Counter notPermitted =
        Counter.builder("imagefleet.breaker.not.permitted")
            .description("Calls refused at once because the route's breaker was open")
            .tag("route", model)
            .register(registry);
    Counter retries =
        Counter.builder("imagefleet.upstream.retries")
            .description(
                "Upstream calls (API calls and image downloads) retried after a transient failure")
            .tag("route", model)
            .register(registry);
    breaker
        .getEventPublisher()
        .onSuccess(e -> success.record(e.getElapsedDuration()))
        .onError(e -> failure.record(e.getElapsedDuration()))
        .onIgnoredError(e -> ignored.record(e.getElapsedDuration()))
        .onCallNotPermitted(e -> notPermitted.increment())
        .onStateTransition(
            e -> log.warn("circuit breaker of route {}: {}", model, e.getStateTransition()));
    route.retry().getEventPublisher().onRetry(e -> retries.increment());
    route.timeQueriesWith((took, ok) -> (ok ? success : failure).record(took));
  }

  private static Timer latency(MeterRegistry registry, String model, String outcome) {
    return Timer.builder("imagefleet.upstream.latency")
        .description("Upstream API call time (create task, query task) by route and outcome")
        .tag("route", model)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
  }
}
