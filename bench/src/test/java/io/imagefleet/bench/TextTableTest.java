package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void alignsNamesLeftAndFiguresRight() {
    String text =
        new TextTable(List.of("contender", "jobs/s"))
            .row(List.of("imagefleet", "240.5"))
            .row(List.of("sequential", "0.5"))
            .render();

    assertThat(text.lines().toList())
        .containsExactly(
            "contender   jobs/s", "----------  ------", "imagefleet   240.5", "sequential     0.5");
  }

  @Test
  void refusesARowOfTheWrongWidth() {
    assertThatThrownBy(() -> new TextTable(List.of("a", "b")).row(List.of("1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
