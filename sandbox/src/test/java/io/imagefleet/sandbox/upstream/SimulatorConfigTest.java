package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

  @Test
  void defaultsBindToLoopbackOnAFreePortWithTheDocumentedRoutes() {
    SimulatorConfig config = SimulatorConfig.ofDefaults();
    assertThat(config.bindHost()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.models())
        .containsExactly(
            "gpt-image-1.5",
            "gpt-image-1.5-lite",
            "gpt-image-1",
            "gpt-image-1-mini",
            "gpt-image-2",
            "gpt-image-2-beta");
    assertThat(config.linkTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(config.knobs()).isEqualTo(SimulatorKnobs.DEFAULTS);
  }

  @Test
  void toBuilderKeepsEveryValue() {
    SimulatorConfig config =
        SimulatorConfig.builder()
            .port(8089)
            .apiKey("k")
            .models("a", "b")
            .seed(7)
            .linkTtl(Duration.ofMinutes(5))
            .expiredLinkStatus(403)
            .quotaExhausted(true)
            .build();
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> SimulatorConfig.builder().port(70_000).build())
        .hasMessageContaining("port");
    assertThatThrownBy(() -> SimulatorConfig.builder().apiKey(" ").build())
        .hasMessageContaining("apiKey");
    assertThatThrownBy(() -> SimulatorConfig.builder().models(List.of()).build())
        .hasMessageContaining("models");
    assertThatThrownBy(() -> SimulatorConfig.builder().handlerThreads(0).build())
        .hasMessageContaining("handlerThreads must be > 0, but was 0");
    assertThatThrownBy(() -> SimulatorConfig.builder().expiredLinkStatus(404).build())
        .hasMessageContaining("expiredLinkStatus");
    assertThatThrownBy(() -> SimulatorConfig.builder().linkTtl(Duration.ZERO).build())
        .hasMessageContaining("linkTtl");
  }
}
