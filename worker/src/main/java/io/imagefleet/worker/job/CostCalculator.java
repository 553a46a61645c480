package io.imagefleet.worker.job;

import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.worker.config.RoutePrices;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Cost in USD of reported token usage and images at a route's prices (per 1,000 tokens, and per
 * image for a route billed per call). Cached input tokens are part of the text input the upstream
 * reports and are billed at the cached rate instead.
 */
public final class CostCalculator {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private CostCalculator() {}

  /**
   * @param images the images the task was asked for: a route billed per call charges each one
   */
  public static BigDecimal cost(TokenUsage usage, int images, RoutePrices prices) {
    long cached = Math.min(usage.cachedInputTokens(), usage.inputTextTokens());
    BigDecimal total =
        per(usage.outputImageTokens(), prices.imageOutput())
            .add(per(usage.inputImageTokens(), prices.imageInput()))
            .add(per(usage.inputTextTokens() - cached, prices.textInput()))
            .add(per(cached, prices.textCachedInput()))
            .add(per(usage.outputTextTokens(), prices.textOutput()))
            .add(prices.perImage().multiply(BigDecimal.valueOf(images * 1000L)));
    return total.divide(THOUSAND, 6, RoundingMode.HALF_UP);
  }

  private static BigDecimal per(long tokens, BigDecimal pricePerThousand) {
    return pricePerThousand.multiply(BigDecimal.valueOf(tokens));
  }
}
