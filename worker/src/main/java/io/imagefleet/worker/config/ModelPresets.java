package io.imagefleet.worker.config;

import io.imagefleet.contracts.JobValidator;
import java.util.List;
import java.util.Optional;

/**
 * The models of the {@code gpt-image-*} family as the gateway's public documentation describes them
 * (see {@code docs/routes.md}): a route names one as its preset and starts from its rules and,
 * where the gateway publishes them, its prices.
 *
 * <p>Only {@code gpt-image-1.5} has published prices; a route on any other model must be priced by
 * its operator, and the worker refuses to start without one rather than guess. Where a rule is not
 * published for a model, the preset assumes the family's (marked below): a route can override every
 * rule.
 */
public final class ModelPresets {
  /**
   * A model as published.
   *
   * @param prices its published prices; empty when the gateway publishes none
   * @param outputTokensPublished whether its output image tokens per image follow the published GPT
   *     Image table ({@code cost.output-tokens.*}), without which a price per output token cannot
   *     be estimated
   */
  public record Preset(
      String model,
      RouteRules rules,
      Optional<RoutePrices> prices,
      boolean outputTokensPublished) {}

  /** 2000 tokens, every size, quality, 1 to 10 images, up to 16 reference images. */
  private static final RouteRules GPT_IMAGE_1_5_RULES =
      RouteRules.widest(JobValidator.MAX_PROMPT_CHARS, 2_000);

  /**
   * Up to 32,000 characters, counted as characters. Sizes, qualities, n and reference images are
   * not published separately for version 2: the family's are assumed.
   */
  private static final RouteRules GPT_IMAGE_2_RULES =
      RouteRules.widest(JobValidator.MAX_PROMPT_CHARS, 0);

  public static final Preset GPT_IMAGE_1_5 =
      new Preset("gpt-image-1.5", GPT_IMAGE_1_5_RULES, Optional.of(RoutePrices.gptImage15()), true);

  private static final List<Preset> ALL =
      List.of(
          GPT_IMAGE_1_5,
          // A cheaper channel of the same model: its rules, an unpublished price.
          new Preset("gpt-image-1.5-lite", GPT_IMAGE_1_5_RULES, Optional.empty(), true),
          // The family before version 2: the published token table; rules assumed as 1.5's.
          new Preset("gpt-image-1", GPT_IMAGE_1_5_RULES, Optional.empty(), true),
          new Preset("gpt-image-2", GPT_IMAGE_2_RULES, Optional.empty(), false),
          new Preset("gpt-image-2-beta", GPT_IMAGE_2_RULES, Optional.empty(), false));

  private ModelPresets() {}

  public static Optional<Preset> find(String name) {
    return ALL.stream().filter(p -> p.model().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Preset::model).toList();
  }
}
