package io.imagefleet.worker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One upstream route: the {@code model} sent to the gateway, what it costs, and how fast the fleet
 * may call it. Routes are {@code routes.0.model}, {@code routes.0.price.image-output}, ... in order
 * of index; a price left unset is the published price of {@code gpt-image-1.5}.
 *
 * @param rateLimitPerSecond creations per second the whole fleet may make on the route (the
 *     gateway's limit for the API key); 0 when unknown: the fleet then learns it from 429s. Each
 *     worker takes its part; a 429 cuts the rate, which then climbs back to this value
 */
public record RouteSettings(String model, RoutePrices prices, double rateLimitPerSecond) {
  /** The first route's model; later routes exist only where their model is set. */
  static final Key FIRST_MODEL = Key.of("routes.0.model", "gpt-image-1.5");

  static final List<Key> KEYS = List.of(FIRST_MODEL);

  public RouteSettings {
    Checks.notBlank(Key.of("routes.N.model"), model);
    Objects.requireNonNull(prices, "prices");
    Checks.atLeast(Key.of("routes.N.rate-limit"), 0, rateLimitPerSecond);
  }

  public RouteSettings(String model, RoutePrices prices) {
    this(model, prices, 0);
  }

  static List<RouteSettings> listFrom(ConfigReader r) {
    List<RouteSettings> routes = new ArrayList<>();
    for (int i = 0; r.optional(model(i)).isPresent(); i++) {
      String p = prefix(i) + "price.";
      RoutePrices published = RoutePrices.gptImage15();
      RoutePrices prices =
          new RoutePrices(
              r.money(Key.of(p + "image-output")).orElse(published.imageOutput()),
              r.money(Key.of(p + "image-input")).orElse(published.imageInput()),
              r.money(Key.of(p + "image-cached-input")).orElse(published.imageCachedInput()),
              r.money(Key.of(p + "text-input")).orElse(published.textInput()),
              r.money(Key.of(p + "text-cached-input")).orElse(published.textCachedInput()),
              r.money(Key.of(p + "text-output")).orElse(published.textOutput()));
      Key rateLimit = Key.of(prefix(i) + "rate-limit");
      routes.add(
          new RouteSettings(
              r.string(model(i)),
              prices,
              r.optional(rateLimit).isPresent() ? r.decimal(rateLimit) : 0.0));
    }
    return routes;
  }

  private static Key model(int index) {
    return index == 0 ? FIRST_MODEL : Key.of(prefix(index) + "model");
  }

  private static String prefix(int index) {
    return "routes." + index + ".";
  }
}
