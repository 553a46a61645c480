package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PromptTokensTest {
  /** The most bytes one o200k_base token stands for: its longest token is a run of 128 spaces. */
  private static final int MAX_CHARS_PER_TOKEN = 128;

  @Test
  void countsPromptTokensWithRealTokenizer() {
    // Known o200k_base encodings: "hello world" = [24912, 2375], "Hello, world!" = [13225, 11,
    // 2375, 0].
    assertThat(PromptTokens.count("hello world")).isEqualTo(2);
    assertThat(PromptTokens.count("Hello, world!")).isEqualTo(4);
    assertThat(PromptTokens.count("")).isZero();
  }

  @Test
  void countsTokensNotCharactersOrWords() {
    String words = "a photo of a cat sitting on a windowsill";
    assertThat(PromptTokens.count(words))
        .isLessThan(words.length())
        .isGreaterThanOrEqualTo(words.split(" ").length);
    String chinese = "一只坐在窗台上的猫的照片";
    assertThat(PromptTokens.count(chinese)).isPositive().isNotEqualTo(chinese.length());
  }

  @Test
  void countsSpecialTokenMarkersAsOrdinaryText() {
    assertThat(PromptTokens.count("draw <|endoftext|> a cat")).isGreaterThan(4);
  }

  @Test
  void neverStandsForMoreThan128CharactersPerToken() {
    assertThat(PromptTokens.count(" ".repeat(MAX_CHARS_PER_TOKEN))).isEqualTo(1);
    for (String unit : List.of("x", "=", " ", "-", "ab", "\uD83D\uDE00", "0")) {
      String text = "a" + unit.repeat(4000);
      assertThat(PromptTokens.count(text))
          .as(unit)
          .isGreaterThanOrEqualTo(text.length() / MAX_CHARS_PER_TOKEN);
    }
  }

  @Test
  void givesTheSameCountsFromManyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        tasks.add(() -> PromptTokens.count("Hello, world!"));
      }
      for (Future<Integer> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isEqualTo(4);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void upperBoundIsTheUtf8LengthAndNeverBelowTheCount() {
    for (String text :
        List.of(
            "",
            "hello world",
            "caf\u00e9 \u00fcber",
            "\u732b\u306e\u7d75",
            "\uD83D\uDE00\uD83D\uDE3A",
            "x".repeat(3000),
            "draw <|endoftext|> a cat",
            "\u00e9\u0301".repeat(700))) {
      assertThat(PromptTokens.upperBound(text))
          .as(text)
          .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length)
          .isGreaterThanOrEqualTo(PromptTokens.count(text));
    }
    for (String malformed : List.of("a\uD83Dz", "\uDE00".repeat(5), "\uD83D")) {
      assertThat(PromptTokens.upperBound(malformed))
          .isGreaterThanOrEqualTo(PromptTokens.count(malformed));
    }
  }
}
