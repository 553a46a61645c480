package io.imagefleet.worker.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a route costs: USD per 1,000 tokens for each token category the gateway bills, plus USD per
 * image for a route billed per call (the gateway's {@code billing_rule: per_call}). A price the
 * route does not bill is zero; a job's cost is the sum. {@link #gptImage15()} holds the published
 * prices of route {@code gpt-image-1.5}.
 */
public record RoutePrices(
    BigDecimal imageOutput,
    BigDecimal imageInput,
    BigDecimal imageCachedInput,
    BigDecimal textInput,
    BigDecimal textCachedInput,
    BigDecimal textOutput,
    BigDecimal perImage) {

  public RoutePrices {
    Objects.requireNonNull(imageOutput, "imageOutput");
    Objects.requireNonNull(imageInput, "imageInput");
    Objects.requireNonNull(imageCachedInput, "imageCachedInput");
    Objects.requireNonNull(textInput, "textInput");
    Objects.requireNonNull(textCachedInput, "textCachedInput");
    Objects.requireNonNull(textOutput, "textOutput");
    Objects.requireNonNull(perImage, "perImage");
    for (BigDecimal price :
        List.of(
            imageOutput,
            imageInput,
            imageCachedInput,
            textInput,
            textCachedInput,
            textOutput,
            perImage)) {
      if (price.signum() < 0) {
        throw new ConfigException("a route's prices must be >= 0, but one was " + price);
      }
    }
  }

  public static RoutePrices gptImage15() {
    return new RoutePrices(
        new BigDecimal("0.029"),
        new BigDecimal("0.0072"),
        new BigDecimal("0.0018"),
        new BigDecimal("0.0045"),
        new BigDecimal("0.0011"),
        new BigDecimal("0.009"),
        BigDecimal.ZERO);
  }

  /** Whether the images themselves have a price, per output token or per image. */
  boolean pricesImages() {
    return imageOutput.signum() > 0 || perImage.signum() > 0;
  }
}
