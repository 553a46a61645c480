package io.imagefleet.worker.config;

import io.imagefleet.contracts.ImageQuality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The token counts behind a cost estimate, the one place the worker keeps them. Prices live on each
 * route ({@link RoutePrices}); these say how many tokens a job will use.
 *
 * @param outputTokensPerImage output image tokens of one image, keyed {@code
 *     <quality>.<width>x<height>} ({@code high.1024x1536}); the published GPT Image table by
 *     default, overridable per entry as {@code cost.output-tokens.<quality>.<W>x<H>}
 * @param referenceImageTokens input image tokens per reference image ({@code
 *     cost.reference-image-tokens})
 */
public record CostSettings(Map<String, Long> outputTokensPerImage, long referenceImageTokens) {
  public static final String OUTPUT_TOKENS_PREFIX = "cost.output-tokens.";

  /** The three pixel sizes the upstream renders; ratio sizes ({@code 2:3}) map onto them. */
  static final String[] PIXEL_SIZES = {"1024x1024", "1024x1536", "1536x1024"};

  /**
   * Input tokens per reference image. Not published: the quoted maximum per image, $0.357 (high,
   * non-square, 16 reference images), minus the high non-square output cost 6,240 x $0.029 / 1000 =
   * $0.18096, leaves $0.17604 for 16 images: $0.0110025 each, 1,528 tokens at $0.0072 per 1,000.
   */
  public static final long PUBLISHED_REFERENCE_IMAGE_TOKENS = 1_528;

  static final Key REFERENCE_IMAGE_TOKENS =
      Key.of("cost.reference-image-tokens", String.valueOf(PUBLISHED_REFERENCE_IMAGE_TOKENS));

  /**
   * Each entry of the table, without a default of its own (the published table is the default), so
   * that it has an environment variable; the reference image tokens.
   */
  static final List<Key> KEYS = keys();

  static final List<KeyPattern> PATTERNS =
      List.of(KeyPattern.of(OUTPUT_TOKENS_PREFIX + "<quality>.<W>x<H>"));

  public CostSettings {
    outputTokensPerImage = Map.copyOf(outputTokensPerImage);
    for (ImageQuality quality : ImageQuality.values()) {
      for (String size : PIXEL_SIZES) {
        Long tokens = outputTokensPerImage.get(key(quality, size));
        if (tokens == null || tokens <= 0) {
          throw new ConfigException(
              OUTPUT_TOKENS_PREFIX + key(quality, size) + " must be > 0, but was " + tokens);
        }
      }
    }
    if (referenceImageTokens < 0) {
      throw new ConfigException(
          REFERENCE_IMAGE_TOKENS.name() + " must be >= 0, but was " + referenceImageTokens);
    }
  }

  /** Output image tokens of one image of this quality and pixel size. */
  public long outputTokens(ImageQuality quality, int width, int height) {
    Long tokens = outputTokensPerImage.get(key(quality, width + "x" + height));
    if (tokens == null) {
      throw new IllegalArgumentException(
          "no output token count for " + quality.wire() + " " + width + "x" + height);
    }
    return tokens;
  }

  static String key(ImageQuality quality, String pixelSize) {
    return quality.wire() + "." + pixelSize;
  }

  /**
   * The published output-token table of the GPT Image family (1.5 included), as the gateway bills
   * it.
   */
  public static CostSettings published() {
    return new CostSettings(publishedTable(), PUBLISHED_REFERENCE_IMAGE_TOKENS);
  }

  static Map<String, Long> publishedTable() {
    Map<String, Long> t = new TreeMap<>();
    put(t, ImageQuality.LOW, 272, 408, 400);
    put(t, ImageQuality.MEDIUM, 1_056, 1_584, 1_568);
    put(t, ImageQuality.HIGH, 4_160, 6_240, 6_208);
    return t;
  }

  private static void put(
      Map<String, Long> t, ImageQuality q, long square, long portrait, long landscape) {
    t.put(key(q, PIXEL_SIZES[0]), square);
    t.put(key(q, PIXEL_SIZES[1]), portrait);
    t.put(key(q, PIXEL_SIZES[2]), landscape);
  }

  private static List<Key> keys() {
    List<Key> keys = new ArrayList<>();
    publishedTable()
        .forEach(
            (entry, tokens) ->
                keys.add(Key.of(OUTPUT_TOKENS_PREFIX + entry, String.valueOf(tokens))));
    keys.add(REFERENCE_IMAGE_TOKENS);
    return List.copyOf(keys);
  }

  /**
   * Reads {@code cost.*}: every table entry may be overridden; unknown entries are refused by name.
   */
  static CostSettings from(ConfigReader r) {
    Map<String, Long> table = new TreeMap<>(publishedTable());
    r.under(OUTPUT_TOKENS_PREFIX)
        .keySet()
        .forEach(
            entry -> {
              Key key = Key.of(OUTPUT_TOKENS_PREFIX + entry);
              if (!table.containsKey(entry)) {
                throw new ConfigException(
                    key.name()
                        + " is not a known entry; use "
                        + OUTPUT_TOKENS_PREFIX
                        + "<low|medium|high>.<1024x1024|1024x1536|1536x1024>");
              }
              table.put(entry, r.wholeNumber(key));
            });
    // A blank value falls back to the published count rather than failing.
    long reference =
        r.optional(REFERENCE_IMAGE_TOKENS).isPresent()
            ? r.wholeNumber(REFERENCE_IMAGE_TOKENS)
            : PUBLISHED_REFERENCE_IMAGE_TOKENS;
    return new CostSettings(table, reference);
  }
}
