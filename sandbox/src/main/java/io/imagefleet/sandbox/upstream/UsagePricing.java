package io.imagefleet.sandbox.upstream;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Token and price arithmetic of the upstream (the gateway's published billing). The worker
 * estimates cost before submitting and accounts from what the task reports; these numbers are what
 * it will see.
 */
final class UsagePricing {

  /** USD per 1,000 tokens on the gateway. */
  static final double IMAGE_OUTPUT_USD_PER_1K = 0.029;

  static final double IMAGE_INPUT_USD_PER_1K = 0.0072;
  static final double TEXT_INPUT_USD_PER_1K = 0.0045;

  /**
   * Image input tokens per reference image. Not published; derived from the quoted price range: the
   * maximum per image, $0.357 (high quality, non-square, 16 reference images), minus the high
   * non-square output cost 6,240 x $0.029 / 1000 = $0.18096, leaves $0.17604 for 16 reference
   * images, i.e. $0.0110025 each, which at $0.0072 per 1,000 image input tokens is 1,528.1 tokens.
   */
  static final long IMAGE_INPUT_TOKENS_PER_REFERENCE = 1_528;

  private UsagePricing() {}

  /** Output image tokens of ONE image (the published GPT Image table, 1.5 included). */
  static long outputTokensPerImage(ImageQuality quality, ImageSize size) {
    return switch (quality) {
      case LOW ->
          switch (size) {
            case SQUARE -> 272;
            case PORTRAIT -> 408;
            case LANDSCAPE -> 400;
          };
      case MEDIUM ->
          switch (size) {
            case SQUARE -> 1_056;
            case PORTRAIT -> 1_584;
            case LANDSCAPE -> 1_568;
          };
      case HIGH ->
          switch (size) {
            case SQUARE -> 4_160;
            case PORTRAIT -> 6_240;
            case LANDSCAPE -> 6_208;
          };
    };
  }

  /** Text tokens estimated from characters: one per four, rounded up, at least one. */
  static long textTokens(String prompt) {
    return Math.max(1, (prompt.length() + 3) / 4);
  }

  /** Usage of one request: input counted once per request, output once per image. */
  static TokenUsage usage(
      String prompt, int referenceImages, ImageQuality quality, ImageSize size, int n) {
    return new TokenUsage(
        textTokens(prompt),
        IMAGE_INPUT_TOKENS_PER_REFERENCE * referenceImages,
        outputTokensPerImage(quality, size) * n);
  }

  /**
   * Credits the gateway reserves at creation: the estimated cost (on the task's model) times the
   * credit rate, 3 decimals.
   */
  static BigDecimal creditsReserved(double costUsd, double creditsPerUsd) {
    return BigDecimal.valueOf(costUsd * creditsPerUsd).setScale(3, RoundingMode.HALF_UP);
  }
}
