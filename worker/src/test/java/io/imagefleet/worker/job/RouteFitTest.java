package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.ValidationCode;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.RouteSettings;
import io.imagefleet.worker.config.WorkerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job against each route's own rules. */
class RouteFitTest {
  private static final WorkerConfig CONFIG = config();
  private final RouteFit fit = new RouteFit(new CostEstimator(CONFIG));

  private static WorkerConfig config() {
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", "broker:9092");
    values.put("upstream.base-url", "https://api.example.com");
    values.put("upstream.api-key", "sk-test-123");
    values.put("routes.1.model", "gpt-image-2");
    values.put("routes.1.price.per-image", "0.05");
    values.put("routes.2.model", "gpt-image-1");
    values.put("routes.2.price.image-output", "0.02");
    values.put("routes.2.sizes", "1:1,1024x1024");
    values.put("routes.2.qualities", "low");
    values.put("routes.2.max-images", "2");
    values.put("routes.2.max-reference-images", "0");
    return ConfigLoader.fromMap(values, Map.of());
  }

  private static RouteSettings route(String model) {
    return CONFIG.route(model).orElseThrow();
  }

  private static JobRequest.Builder job(String prompt) {
    return JobRequest.builder("j", "t", prompt);
  }

  @Test
  void aPromptOver2000TokensFitsGptImage2OnlyAndIsCountedInTokensOn15() {
    String prompt = "cat" + " cat".repeat(2_000); // 2,001 tokens, 8,003 characters
    JobRequest job = job(prompt).build();
    assertThat(fit.fits(job, route("gpt-image-2"))).isTrue();
    assertThat(fit.violations(job, route("gpt-image-1.5")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("prompt");
              assertThat(e.code()).isEqualTo(ValidationCode.UNSUPPORTED_BY_ROUTE.wire());
              assertThat(e.message()).contains("2000 tokens", "2001", "gpt-image-1.5");
            });
    assertThat(fit.fits(job("cat" + " cat".repeat(1_999)).build(), route("gpt-image-1.5")))
        .isTrue();
  }

  @Test
  void reportsEverySizeQualityCountAndReferenceRuleTheRouteBreaks() {
    JobRequest job =
        job("a chair")
            .size("2:3")
            .quality("high")
            .n(3)
            .referenceImageUrls(List.of("https://img.example.com/a.png"))
            .build();
    assertThat(fit.fits(job, route("gpt-image-1.5"))).isTrue();
    List<FieldError> errors = fit.violations(job, route("gpt-image-1"));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("size", "quality", "n", "reference_image_urls");
    assertThat(errors).allMatch(e -> e.code().equals("unsupported_by_route"));
    assertThat(errors.get(0).message()).contains("2:3", "gpt-image-1", "1:1");
  }

  @Test
  void aPromptOver32000CharactersFitsNoRoute() {
    JobRequest job = job("a".repeat(32_001)).build();
    assertThat(fit.violations(job, route("gpt-image-2")))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("32000 characters"));
    assertThat(fit.fits(job, route("gpt-image-1.5"))).isFalse();
  }
}
