package io.imagefleet.worker.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * USD per 1,000 tokens for each token category the gateway bills. {@link #gptImage15()} holds the
 * published prices of route {@code gpt-image-1.5}.
 */
public record RoutePrices(
    BigDecimal imageOutput,
    BigDecimal imageInput,
    BigDecimal imageCachedInput,
    BigDecimal textInput,
    BigDecimal textCachedInput,
    BigDecimal textOutput) {

  public RoutePrices {
    Objects.requireNonNull(imageOutput, "imageOutput");
    Objects.requireNonNull(imageInput, "imageInput");
    Objects.requireNonNull(imageCachedInput, "imageCachedInput");
    Objects.requireNonNull(textInput, "textInput");
    Objects.requireNonNull(textCachedInput, "textCachedInput");
    Objects.requireNonNull(textOutput, "textOutput");
  }

  public static RoutePrices gptImage15() {
    return new RoutePrices(
        new BigDecimal("0.029"),
        new BigDecimal("0.0072"),
        new BigDecimal("0.0018"),
        new BigDecimal("0.0045"),
        new BigDecimal("0.0011"),
        new BigDecimal("0.009"));
  }
}
