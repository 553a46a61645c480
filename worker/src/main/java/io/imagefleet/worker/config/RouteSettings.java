package io.imagefleet.worker.config;

import java.util.Objects;

/**
 * One upstream route: the {@code model} sent to the gateway, what it costs, and how fast the fleet
 * may call it.
 *
 * @param rateLimitPerSecond calls per second this worker may make to the route (the gateway's limits
 *                           are per model); 0 means unlimited. A 429 halves the current rate, which
 *                           then climbs back to this value
 */
public record RouteSettings(String model, RoutePrices prices, double rateLimitPerSecond) {
  public RouteSettings {
    Checks.notBlank("routes.N.model", model);
    Objects.requireNonNull(prices, "prices");
    Checks.atLeast("routes.N.rate-limit", 0, rateLimitPerSecond);
  }

  public RouteSettings(String model, RoutePrices prices) {
    this(model, prices, 0);
  }
}
