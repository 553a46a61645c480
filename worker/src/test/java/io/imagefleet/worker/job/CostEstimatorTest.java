package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.PromptTokens;
import io.imagefleet.worker.budget.Budgets;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CostEstimatorTest {
  private static final String PROMPT =
      "a walnut lounge chair on a seamless grey backdrop, product photography";

  private static WorkerConfig config(Map<String, String> extra) {
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                "kafka.bootstrap.servers", "broker:9092",
                "upstream.base-url", "https://api.example.com",
                "upstream.api-key", "sk-test-123",
                "routes.1.model", "gpt-image-1",
                "routes.1.price.image-output", "0.04",
                "routes.1.price.image-input", "0.0072",
                "routes.1.price.text-input", "0.0045"));
    values.putAll(extra);
    return ConfigLoader.fromMap(values, Map.of());
  }

  /** The published arithmetic, written out: tokens x USD per 1,000 tokens, to 6 decimals. */
  private static BigDecimal expected(
      long outputTokensPerImage,
      int n,
      long promptTokens,
      int references,
      String imageOutputPrice) {
    BigDecimal micro =
        new BigDecimal(imageOutputPrice)
            .multiply(BigDecimal.valueOf(outputTokensPerImage * n))
            .add(new BigDecimal("0.0045").multiply(BigDecimal.valueOf(promptTokens)))
            .add(new BigDecimal("0.0072").multiply(BigDecimal.valueOf(1_528L * references)));
    return micro.divide(BigDecimal.valueOf(1000), 6, RoundingMode.HALF_UP);
  }

  @ParameterizedTest
  @CsvSource({
    "low,    1:1,       272",
    "low,    2:3,       408",
    "low,    3:2,       400",
    "medium, 1024x1024, 1056",
    "medium, 1024x1536, 1584",
    "medium, 1536x1024, 1568",
    "high,   1:1,       4160",
    "high,   2:3,       6240",
    "high,   1536x1024, 6208"
  })
  void estimatesThePriceTableArithmeticForEverySizeAndQuality(
      String quality, String size, long tokensPerImage) {
    CostEstimator estimator = new CostEstimator(config(Map.of()));
    for (int n : new int[] {1, 3, 10}) {
      JobRequest job =
          JobRequest.builder("j", "catalog", PROMPT).quality(quality).size(size).n(n).build();
      assertThat(estimator.estimate(job, "gpt-image-1.5"))
          .contains(expected(tokensPerImage, n, PromptTokens.count(PROMPT), 0, "0.029"));
      assertThat(estimator.usage(job).orElseThrow().outputImageTokens())
          .isEqualTo(tokensPerImage * n);
    }
  }

  @Test
  void addsReferenceImageTokensPerReferenceImage() {
    CostEstimator estimator = new CostEstimator(config(Map.of()));
    JobRequest job =
        JobRequest.builder("j", "catalog", PROMPT)
            .quality("high")
            .size("2:3")
            .n(1)
            .referenceImageUrls(Collections.nCopies(16, "https://assets.example.com/ref.png"))
            .build();
    BigDecimal estimate = estimator.estimate(job, "gpt-image-1.5").orElseThrow();
    assertThat(estimate).isEqualTo(expected(6240, 1, PromptTokens.count(PROMPT), 16, "0.029"));
    assertThat(estimator.usage(job).orElseThrow().inputImageTokens()).isEqualTo(16 * 1_528L);
    // The published maximum per image, $0.357, less the prompt's few text tokens.
    assertThat(estimate.subtract(new BigDecimal("0.357")).abs())
        .isLessThan(new BigDecimal("0.001"));
  }

  @Test
  void pricesEachRouteAtItsOwnPrices() {
    CostEstimator estimator = new CostEstimator(config(Map.of()));
    JobRequest job = JobRequest.builder("j", "catalog", PROMPT).quality("low").size("1:1").build();
    assertThat(estimator.estimate(job, "gpt-image-1"))
        .contains(expected(272, 1, PromptTokens.count(PROMPT), 0, "0.04"));
    assertThat(estimator.estimate(job, "no-such-route")).isEmpty();
  }

  @Test
  void usesOutputTokenCountsFromConfiguration() {
    CostEstimator estimator =
        new CostEstimator(
            config(
                Map.of(
                    "cost.output-tokens.low.1024x1024",
                    "300",
                    "cost.reference-image-tokens",
                    "1000")));
    JobRequest job =
        JobRequest.builder("j", "catalog", PROMPT)
            .quality("low")
            .size("1:1")
            .referenceImageUrls(List.of("https://a.example/x.png"))
            .build();
    assertThat(estimator.usage(job).orElseThrow().outputImageTokens()).isEqualTo(300);
    assertThat(estimator.usage(job).orElseThrow().inputImageTokens()).isEqualTo(1000);
  }

  @Test
  void cannotPriceAJobWithAnUnknownSizeOrQuality() {
    CostEstimator estimator = new CostEstimator(config(Map.of()));
    assertThat(
            estimator.estimate(
                JobRequest.builder("j", "t", "p").size("5:4").build(), "gpt-image-1.5"))
        .isEmpty();
    assertThat(
            estimator.estimate(
                JobRequest.builder("j", "t", "p").quality("ultra").build(), "gpt-image-1.5"))
        .isEmpty();
  }

  @Test
  void refusesAJobWhoseEstimateIsAboveItsCeilingAndKeepsFallbacksUnderIt() {
    WorkerConfig config = config(Map.of());
    CostLimits limits = new CostLimits(new CostEstimator(config), Budgets.NONE);
    JobRequest job =
        JobRequest.builder("j", "catalog", PROMPT)
            .quality("high")
            .size("2:3")
            .n(2)
            .maxCostUsd(new BigDecimal("0.30"))
            .build();
    Optional<JobError> refusal = limits.overCeiling(job);
    assertThat(refusal).isPresent();
    assertThat(refusal.get().code()).isEqualTo(ErrorCodes.COST_CEILING_EXCEEDED);
    assertThat(refusal.get().message()).contains("0.30").contains("estimated cost $0.36");

    JobRequest cheap =
        JobRequest.builder("j", "catalog", PROMPT)
            .quality("low")
            .size("1:1")
            .maxCostUsd(new BigDecimal("0.0085"))
            .build();
    assertThat(limits.overCeiling(cheap)).isEmpty();
    assertThat(limits.withinCeiling(cheap, config.route("gpt-image-1.5").orElseThrow())).isTrue();
    assertThat(limits.withinCeiling(cheap, config.route("gpt-image-1").orElseThrow())).isFalse();
  }

  /** Validation refuses such a ceiling; the refusal's text stays short even where it did not. */
  @Test
  void writesTheRefusalOfAnAbsurdCeilingInFewCharacters() {
    CostLimits limits = new CostLimits(new CostEstimator(config(Map.of())), Budgets.NONE);
    JobRequest job =
        JobRequest.builder("j", "catalog", PROMPT)
            .maxCostUsd(new BigDecimal("1e-999999999"))
            .build();
    Optional<JobError> refusal =
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> limits.overCeiling(job));
    assertThat(refusal).isPresent();
    assertThat(refusal.get().message()).endsWith("max_cost_usd of $0.00").hasSizeLessThan(200);
  }
}
