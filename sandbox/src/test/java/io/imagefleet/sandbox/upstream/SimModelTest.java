package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimModelTest {
  /** 2,500 tokens as the simulator counts them (one per four characters), 10,000 characters. */
  private static final String LONG_PROMPT = "x".repeat(10_000);

  @Test
  void theGptImage15FamilyRefusesAPromptAbove2000TokensWithTheGatewaysErrorShape() {
    for (String name : List.of("gpt-image-1.5", "gpt-image-1.5-lite", "gpt-image-1")) {
      ApiError error = reject(SimModel.named(name), request(name, LONG_PROMPT, 1, 0));
      assertThat(error.status()).isEqualTo(400);
      assertThat(error.code()).isEqualTo("invalid_request");
      assertThat(error.param()).isEqualTo("prompt");
      assertThat(error.message()).contains("2000 tokens", name);
    }
    SimModel.named("gpt-image-1.5").check(request("gpt-image-1.5", "x".repeat(8_000), 1, 0));
  }

  @Test
  void gptImage2TakesPromptsUpTo32000CharactersAndNoLonger() {
    for (String name : List.of("gpt-image-2", "gpt-image-2-beta")) {
      SimModel model = SimModel.named(name);
      model.check(request(name, LONG_PROMPT, 1, 0));
      model.check(request(name, "x".repeat(32_000), 1, 0));
      ApiError error = reject(model, request(name, "x".repeat(32_001), 1, 0));
      assertThat(error.param()).isEqualTo("prompt");
      assertThat(error.message()).contains("32000 characters");
    }
  }

  @Test
  void pricesEachModelByItsOwnTable() {
    TokenUsage usage = new TokenUsage(100, 0, 4_160);
    double published = SimModel.named("gpt-image-1.5").costUsd(usage, 1);
    assertThat(published).isCloseTo(0.12109, org.assertj.core.data.Offset.offset(0.00001));
    assertThat(SimModel.named("gpt-image-1.5-lite").costUsd(usage, 1)).isLessThan(published);
    // Billed per image: three images cost three times one.
    SimModel v2 = SimModel.named("gpt-image-2");
    assertThat(v2.costUsd(usage, 3)).isEqualTo(3 * v2.costUsd(usage, 1)).isPositive();
  }

  private static CreateRequest request(String model, String prompt, int n, int references) {
    return new CreateRequest(
        model,
        prompt,
        ImageSize.SQUARE,
        ImageQuality.HIGH,
        n,
        java.util.Collections.nCopies(references, "https://img.example/a.png"),
        Optional.empty());
  }

  private static ApiError reject(SimModel model, CreateRequest request) {
    return catchThrowableOfType(RejectedRequestException.class, () -> model.check(request)).error();
  }
}
