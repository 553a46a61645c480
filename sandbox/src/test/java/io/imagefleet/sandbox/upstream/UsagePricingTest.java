package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsagePricingTest {
  private static final SimModel GPT_IMAGE_1_5 = SimModel.named("gpt-image-1.5");

  @ParameterizedTest(name = "{0} {1} -> {2} tokens")
  @CsvSource({
    "LOW, SQUARE, 272", "LOW, PORTRAIT, 408", "LOW, LANDSCAPE, 400",
    "MEDIUM, SQUARE, 1056", "MEDIUM, PORTRAIT, 1584", "MEDIUM, LANDSCAPE, 1568",
    "HIGH, SQUARE, 4160", "HIGH, PORTRAIT, 6240", "HIGH, LANDSCAPE, 6208",
  })
  void outputTokensFollowThePublishedTableTimesImageCount(
      ImageQuality quality, ImageSize size, long perImage) {
    assertThat(UsagePricing.outputTokensPerImage(quality, size)).isEqualTo(perImage);
    TokenUsage usage = UsagePricing.usage("abcd", 0, quality, size, 3);
    assertThat(usage.outputTokens()).isEqualTo(3 * perImage);
    assertThat(usage.totalTokens()).isEqualTo(3 * perImage + 1);
    assertThat(GPT_IMAGE_1_5.costUsd(usage, 1))
        .isCloseTo(3 * perImage * 0.029 / 1000 + 0.0045 / 1000, within(1e-12));
  }

  @Test
  void textTokensAreCharactersOverFourRoundedUpAtLeastOne() {
    assertThat(UsagePricing.textTokens("")).isEqualTo(1);
    assertThat(UsagePricing.textTokens("a")).isEqualTo(1);
    assertThat(UsagePricing.textTokens("abcd")).isEqualTo(1);
    assertThat(UsagePricing.textTokens("abcde")).isEqualTo(2);
    assertThat(UsagePricing.textTokens("x".repeat(8000))).isEqualTo(2000);
  }

  @Test
  void referenceImagesCount1528InputTokensEach() {
    TokenUsage usage = UsagePricing.usage("x".repeat(40), 3, ImageQuality.LOW, ImageSize.SQUARE, 1);
    assertThat(usage.textTokens()).isEqualTo(10);
    assertThat(usage.imageTokens()).isEqualTo(3 * 1528);
    assertThat(usage.inputTokens()).isEqualTo(10 + 3 * 1528);
    assertThat(usage.totalTokens()).isEqualTo(10 + 3 * 1528 + 272);
  }

  @Test
  void pricesMatchTheQuotedRange() {
    TokenUsage cheapest = new TokenUsage(0, 0, 272);
    assertThat(GPT_IMAGE_1_5.costUsd(cheapest, 1)).isCloseTo(0.0079, within(0.00005));
    TokenUsage dearest = UsagePricing.usage("x", 16, ImageQuality.HIGH, ImageSize.PORTRAIT, 1);
    double withoutText =
        GPT_IMAGE_1_5.costUsd(new TokenUsage(0, dearest.imageTokens(), dearest.outputTokens()), 1);
    assertThat(withoutText).isCloseTo(0.357, within(0.0005));
  }

  @Test
  void creditsReservedAreTheEstimatedCostTimesTheRateWithThreeDecimals() {
    TokenUsage usage = new TokenUsage(0, 0, 6240);
    assertThat(UsagePricing.creditsReserved(GPT_IMAGE_1_5.costUsd(usage, 1), 10.0))
        .hasToString("1.810");
    assertThat(List.of(UsagePricing.creditsReserved(GPT_IMAGE_1_5.costUsd(usage, 1), 1.0).scale()))
        .containsExactly(3);
  }
}
