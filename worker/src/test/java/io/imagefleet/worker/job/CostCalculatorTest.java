package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.worker.config.RoutePrices;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
  private final RoutePrices prices = RoutePrices.gptImage15();

  @Test
  void costsOneLowSquareImageAtTheBottomOfThePublishedRange() {
    // 272 output tokens x $0.029 / 1000 = $0.007888 (the gateway's published $0.0079, the bottom of
    // its quoted range)
    assertThat(CostCalculator.cost(new TokenUsage(0, 0, 0, 272, 0, 272), 1, prices))
        .isEqualByComparingTo("0.007888");
  }

  @Test
  void addsEveryTokenCategoryAtItsOwnPrice() {
    var usage = new TokenUsage(1000, 2000, 0, 4160, 100, 7260);
    BigDecimal expected =
        new BigDecimal("0.0045")
            .add(new BigDecimal("0.0144"))
            .add(new BigDecimal("0.12064"))
            .add(new BigDecimal("0.0009"));
    assertThat(CostCalculator.cost(usage, 1, prices)).isEqualByComparingTo(expected);
  }

  @Test
  void billsCachedTextInputAtTheCachedRate() {
    var usage = new TokenUsage(1000, 0, 400, 0, 0, 1000);
    // 600 x 0.0045 + 400 x 0.0011, per 1000
    assertThat(CostCalculator.cost(usage, 1, prices)).isEqualByComparingTo("0.00314");
  }

  @Test
  void billsEachImageOfARoutePricedPerCallOnTopOfItsTokens() {
    var perCall =
        new RoutePrices(
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            new BigDecimal("0.0045"),
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            new BigDecimal("0.05"));
    var usage = new TokenUsage(1000, 0, 0, 4160, 0, 5160);
    // 3 images x $0.05, plus 1000 text tokens x $0.0045 / 1000; output tokens are free here
    assertThat(CostCalculator.cost(usage, 3, perCall)).isEqualByComparingTo("0.1545");
  }
}
