package io.imagefleet.worker.config;

import java.util.Objects;

/** One upstream route: the {@code model} sent to the gateway and what it costs. */
public record RouteSettings(String model, RoutePrices prices) {
  public RouteSettings {
    Checks.notBlank("routes.N.model", model);
    Objects.requireNonNull(prices, "prices");
  }
}
