package io.imagefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.contracts.ImageQuality;
import io.imagefleet.contracts.ImageSize;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes as models: presets, overrides, and the refusal to run a route without a price. */
class RouteSettingsTest {
  private static RouteSettings route(int index, Map<String, String> routes) {
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                "kafka.bootstrap.servers", "broker:9092",
                "upstream.base-url", "https://api.example.com",
                "upstream.api-key", "sk-test-123"));
    values.putAll(routes);
    return ConfigLoader.fromMap(values, Map.of()).routes().get(index);
  }

  private static void refused(Map<String, String> routes, String... messageParts) {
    assertThatThrownBy(() -> route(0, routes))
        .isInstanceOf(ConfigException.class)
        .hasMessageContainingAll(messageParts);
  }

  @Test
  void gptImage15ComesWithItsPublishedRulesAndPrices() {
    RouteSettings route = route(0, Map.of());
    assertThat(route.model()).isEqualTo("gpt-image-1.5");
    assertThat(route.prices()).isEqualTo(RoutePrices.gptImage15());
    assertThat(route.rules().promptMaxTokens()).isEqualTo(2000);
    assertThat(route.rules().sizes()).containsExactlyInAnyOrder(ImageSize.values());
    assertThat(route.rules().maxImages()).isEqualTo(10);
    assertThat(route.rules().maxReferenceImages()).isEqualTo(16);
  }

  @Test
  void gptImage2CountsCharactersNotTokensAndMustBePricedPerImage() {
    RouteSettings route =
        route(0, Map.of("routes.0.model", "gpt-image-2", "routes.0.price.per-image", "0.045"));
    assertThat(route.rules().promptMaxChars()).isEqualTo(32_000);
    assertThat(route.rules().promptMaxTokens()).isZero();
    assertThat(route.prices().perImage()).isEqualByComparingTo("0.045");
    assertThat(route.prices().textInput()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(route.outputTokensPublished()).isFalse();
  }

  @Test
  void refusesToStartARouteWhoseModelHasNoPublishedPriceAndNoneConfigured() {
    for (String model :
        new String[] {"gpt-image-1", "gpt-image-1.5-lite", "gpt-image-2", "gpt-image-2-beta"}) {
      refused(Map.of("routes.0.model", model), model, "routes.0.price.per-image", "not published");
    }
  }

  @Test
  void refusesAPricePerOutputTokenWhereTheOutputTokensAreNotPublished() {
    refused(
        Map.of("routes.0.model", "gpt-image-2", "routes.0.price.image-output", "0.03"),
        "routes.0.price.image-output",
        "per-image");
  }

  @Test
  void refusesARouteWhoseImagesCostNothing() {
    refused(
        Map.of("routes.0.model", "gpt-image-1", "routes.0.price.text-input", "0.004"),
        "image-output or",
        "per-image must be > 0");
    refused(Map.of("routes.0.price.image-output", "-1"), ">= 0");
  }

  @Test
  void aCheaperChannelTakesItsModelsRulesAndTheOperatorsPrice() {
    RouteSettings lite =
        route(
            0,
            Map.of("routes.0.model", "gpt-image-1.5-lite", "routes.0.price.image-output", "0.02"));
    assertThat(lite.rules()).isEqualTo(ModelPresets.GPT_IMAGE_1_5.rules());
    assertThat(lite.prices().imageOutput()).isEqualByComparingTo("0.02");
    // Not guessed from gpt-image-1.5: a price the operator did not set is zero.
    assertThat(lite.prices().textInput()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void anyRuleCanBeOverridden() {
    RouteSettings route =
        route(
            0,
            Map.of(
                "routes.0.prompt-max-tokens", "1000",
                "routes.0.prompt-max-chars", "4000",
                "routes.0.sizes", "1:1, 1024x1024",
                "routes.0.qualities", "low,medium",
                "routes.0.max-images", "4",
                "routes.0.max-reference-images", "0"));
    assertThat(route.rules())
        .isEqualTo(
            new RouteRules(
                4000,
                1000,
                java.util.Set.of(ImageSize.SQUARE, ImageSize.PX_1024X1024),
                java.util.Set.of(ImageQuality.LOW, ImageQuality.MEDIUM),
                4,
                0));
    // Overriding rules keeps the published prices of the same model.
    assertThat(route.prices()).isEqualTo(RoutePrices.gptImage15());
  }

  @Test
  void aModelWithoutPresetNamesOneAndIsPricedByItsOperator() {
    refused(Map.of("routes.0.model", "gpt-image-1-mini"), "routes.0.preset", "no preset");
    RouteSettings mini =
        route(
            0,
            Map.of(
                "routes.0.model", "gpt-image-1-mini",
                "routes.0.preset", "gpt-image-1.5",
                "routes.0.price.image-output", "0.01"));
    assertThat(mini.rules()).isEqualTo(ModelPresets.GPT_IMAGE_1_5.rules());
    // The preset's rules, never its prices: those belong to another model.
    assertThat(mini.prices().imageInput()).isEqualByComparingTo(BigDecimal.ZERO);
    refused(
        Map.of("routes.0.model", "x", "routes.0.preset", "dall-e-9"),
        "routes.0.preset must be one of",
        "dall-e-9");
  }

  @Test
  void namesTheKeyOfABadRule() {
    refused(Map.of("routes.0.sizes", "1:1,5:4"), "routes.0.sizes", "5:4");
    refused(Map.of("routes.0.max-images", "11"), "routes.0.max-images must be 1 to 10");
    refused(Map.of("routes.0.prompt-max-chars", "40000"), "routes.0.prompt-max-chars");
  }
}
