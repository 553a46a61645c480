package io.imagefleet.worker.config;

import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One upstream route: the {@code model} sent to the gateway, what a job must meet to go there, what
 * it costs, and how fast the fleet may call it. Routes are {@code routes.0.model}, {@code
 * routes.0.price.image-output}, ... in order of index. Each starts from a {@link ModelPresets
 * preset} (the one named like its model unless {@code routes.<n>.preset} names another) and may
 * override any rule or price.
 *
 * @param rules what a job must meet to be sent to this route
 * @param prices the route's prices: the published ones of its model, or the operator's; a route
 *     always has a price for its images, since the worker refuses to start without one
 * @param outputTokensPublished whether the route's output image tokens per image are the published
 *     GPT Image table, so that a job's output tokens can be estimated
 * @param rateLimitPerSecond creations per second the whole fleet may make on the route (the
 *     gateway's limit for the API key); 0 when unknown: the fleet then learns it from 429s. Each
 *     worker takes its part; a 429 cuts the rate, which then climbs back to this value
 */
public record RouteSettings(
    String model,
    RouteRules rules,
    RoutePrices prices,
    boolean outputTokensPublished,
    double rateLimitPerSecond) {
  /** The first route's model; later routes exist only where their model is set. */
  static final Key FIRST_MODEL = Key.of("routes.0.model", "gpt-image-1.5");

  static final List<Key> KEYS = List.of(FIRST_MODEL);

  private static final String[] PRICE_KEYS = {
    "image-output",
    "image-input",
    "image-cached-input",
    "text-input",
    "text-cached-input",
    "text-output",
    "per-image"
  };

  /** What follows {@code routes.<n>.} in each key of a route. */
  private static final List<String> SUFFIXES =
      Stream.concat(
              Stream.of(
                  "model",
                  "preset",
                  "rate-limit",
                  "prompt-max-chars",
                  "prompt-max-tokens",
                  "sizes",
                  "qualities",
                  "max-images",
                  "max-reference-images"),
              Arrays.stream(PRICE_KEYS).map(price -> "price." + price))
          .toList();

  static final List<KeyPattern> PATTERNS = KeyPattern.each("routes.<n>.", SUFFIXES);

  private static final Pattern ENV_NAME = Pattern.compile(Key.ENV_PREFIX + "ROUTES_(\\d+)_(.+)");

  public RouteSettings {
    Checks.notBlank(Key.of("routes.N.model"), model);
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(prices, "prices");
    Checks.atLeast(Key.of("routes.N.rate-limit"), 0, rateLimitPerSecond);
  }

  /** A route with the rules of its model's preset ({@code gpt-image-1.5}'s for another model). */
  public RouteSettings(String model, RoutePrices prices, double rateLimitPerSecond) {
    this(
        model,
        ModelPresets.find(model).orElse(ModelPresets.GPT_IMAGE_1_5).rules(),
        prices,
        true,
        rateLimitPerSecond);
  }

  public RouteSettings(String model, RoutePrices prices) {
    this(model, prices, 0);
  }

  /**
   * Copies {@code IMAGEFLEET_ROUTES_<n>_<KEY>} variables to {@code routes.<n>.*} keys, so that a
   * route is configured from the environment as fully as from the file.
   */
  static void applyEnvironment(Map<String, String> values, Map<String, String> env) {
    env.forEach(
        (name, value) -> {
          Matcher m = ENV_NAME.matcher(name);
          if (!m.matches()) {
            return;
          }
          SUFFIXES.stream()
              .filter(suffix -> Key.of(suffix).envName().equals(Key.ENV_PREFIX + m.group(2)))
              .findFirst()
              .ifPresent(
                  suffix -> values.put(prefix(Integer.parseInt(m.group(1))) + suffix, value));
        });
  }

  static List<RouteSettings> listFrom(ConfigReader r) {
    List<RouteSettings> routes = new ArrayList<>();
    for (int i = 0; r.optional(model(i)).isPresent(); i++) {
      String model = r.string(model(i));
      ModelPresets.Preset preset = preset(r, i, model);
      Key rateLimit = Key.of(prefix(i) + "rate-limit");
      routes.add(
          new RouteSettings(
              model,
              rules(r, i, preset.rules()),
              prices(r, i, model, preset),
              preset.outputTokensPublished(),
              r.optional(rateLimit).isPresent() ? r.decimal(rateLimit) : 0.0));
    }
    return routes;
  }

  private static ModelPresets.Preset preset(ConfigReader r, int i, String model) {
    Key key = Key.of(prefix(i) + "preset");
    Optional<String> named = r.optional(key);
    String name = named.orElse(model);
    return ModelPresets.find(name)
        .orElseThrow(
            () ->
                new ConfigException(
                    named.isPresent()
                        ? key.name()
                            + " must be one of "
                            + ModelPresets.names()
                            + ", but was '"
                            + name
                            + "'"
                        : model(i).name()
                            + " is '"
                            + model
                            + "', which has no preset: set "
                            + key.name()
                            + " to the model its rules follow, one of "
                            + ModelPresets.names()));
  }

  private static RouteRules rules(ConfigReader r, int i, RouteRules preset) {
    String p = prefix(i);
    try {
      return new RouteRules(
          integer(r, p + "prompt-max-chars", preset.promptMaxChars()),
          integer(r, p + "prompt-max-tokens", preset.promptMaxTokens()),
          list(r, p + "sizes", preset.sizes(), ImageSize.class, ImageSize::tryParse),
          list(r, p + "qualities", preset.qualities(), ImageQuality.class, ImageQuality::tryParse),
          integer(r, p + "max-images", preset.maxImages()),
          integer(r, p + "max-reference-images", preset.maxReferenceImages()));
    } catch (ConfigException e) {
      throw new ConfigException(p + e.getMessage());
    }
  }

  /**
   * The model's published prices, each overridable; for a model without published prices (or a
   * route whose model is not its preset's), the operator's, where an unset price is zero. Either
   * way the images must have a price: the fleet never estimates a job at a price it made up.
   */
  private static RoutePrices prices(
      ConfigReader r, int i, String model, ModelPresets.Preset preset) {
    String p = prefix(i) + "price.";
    Optional<RoutePrices> published =
        preset.model().equals(model) ? preset.prices() : Optional.empty();
    boolean configured =
        Arrays.stream(PRICE_KEYS).anyMatch(k -> r.optional(Key.of(p + k)).isPresent());
    if (published.isEmpty() && !configured) {
      throw new ConfigException(
          model(i).name()
              + " is '"
              + model
              + "', whose price is not published: set "
              + p
              + "image-output (USD per 1,000 output image tokens) or "
              + p
              + "per-image (USD per image), and any other price it bills");
    }
    Function<Function<RoutePrices, BigDecimal>, BigDecimal> base =
        price -> published.map(price).orElse(BigDecimal.ZERO);
    RoutePrices prices =
        new RoutePrices(
            r.money(Key.of(p + "image-output")).orElse(base.apply(RoutePrices::imageOutput)),
            r.money(Key.of(p + "image-input")).orElse(base.apply(RoutePrices::imageInput)),
            r.money(Key.of(p + "image-cached-input"))
                .orElse(base.apply(RoutePrices::imageCachedInput)),
            r.money(Key.of(p + "text-input")).orElse(base.apply(RoutePrices::textInput)),
            r.money(Key.of(p + "text-cached-input"))
                .orElse(base.apply(RoutePrices::textCachedInput)),
            r.money(Key.of(p + "text-output")).orElse(base.apply(RoutePrices::textOutput)),
            r.money(Key.of(p + "per-image")).orElse(base.apply(RoutePrices::perImage)));
    if (!prices.pricesImages()) {
      throw new ConfigException(
          p + "image-output or " + p + "per-image must be > 0: the route's images need a price");
    }
    if (prices.imageOutput().signum() > 0 && !preset.outputTokensPublished()) {
      throw new ConfigException(
          p
              + "image-output is set, but the output tokens per image of "
              + preset.model()
              + " are not published, so no job's cost could be estimated: price its images with "
              + p
              + "per-image");
    }
    return prices;
  }

  private static int integer(ConfigReader r, String name, int preset) {
    Key key = Key.of(name);
    return r.optional(key).isPresent() ? r.integer(key) : preset;
  }

  private static <E extends Enum<E>> Set<E> list(
      ConfigReader r,
      String name,
      Set<E> preset,
      Class<E> type,
      Function<String, Optional<E>> parse) {
    Optional<String> text = r.optional(Key.of(name));
    if (text.isEmpty()) {
      return preset;
    }
    Set<E> values = EnumSet.noneOf(type);
    for (String item : text.get().split(",")) {
      values.add(
          parse
              .apply(item.strip())
              .orElseThrow(
                  () -> new ConfigException(name + " lists '" + item.strip() + "', unknown")));
    }
    return values;
  }

  private static Key model(int index) {
    return index == 0 ? FIRST_MODEL : Key.of(prefix(index) + "model");
  }

  private static String prefix(int index) {
    return "routes." + index + ".";
  }
}
