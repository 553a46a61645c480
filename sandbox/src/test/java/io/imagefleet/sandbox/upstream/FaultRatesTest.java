package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultRatesTest {

  @Test
  void picksFaultsCumulativelyInFieldOrder() {
    FaultRates rates = new FaultRates(0.1, 0.1, 0.1, 0.1, 0.1, 1);
    assertThat(rates.pick(0.05)).contains(FaultKind.RATE_LIMITED);
    assertThat(rates.pick(0.15)).contains(FaultKind.INTERNAL_ERROR);
    assertThat(rates.pick(0.25)).contains(FaultKind.BAD_GATEWAY);
    assertThat(rates.pick(0.35)).contains(FaultKind.SERVICE_UNAVAILABLE);
    assertThat(rates.pick(0.45)).contains(FaultKind.HANG);
    assertThat(rates.pick(0.55)).isEmpty();
    assertThat(FaultRates.NONE.pick(0.0)).isEmpty();
  }

  @Test
  void rejectsRatesOutsideZeroToOneOrSummingOverOne() {
    assertThatThrownBy(() -> FaultRates.NONE.withRateLimited(1.5))
        .hasMessageContaining("rateLimited");
    assertThatThrownBy(() -> new FaultRates(0.6, 0.6, 0, 0, 0, 1))
        .hasMessageContaining("add up to <= 1");
    assertThatThrownBy(() -> FaultRates.NONE.withRetryAfterSeconds(-1))
        .hasMessageContaining("retryAfterSeconds");
  }

  @Test
  void seededDrawsAreReproducible() {
    FaultRates rates = new FaultRates(0.2, 0.1, 0, 0.1, 0, 1);
    Chance a = new Chance(5);
    Chance b = new Chance(5);
    // The knobs keep failure rates in code order, whatever order they were given in.
    Map<String, Double> failures =
        SimulatorKnobs.DEFAULTS
            .withTaskFailureRates(Map.of("service_error", 0.3, "content_policy_violation", 0.2))
            .taskFailureRates();
    assertThat(failures.keySet()).containsExactly("content_policy_violation", "service_error");
    for (int i = 0; i < 200; i++) {
      assertThat(a.fault(rates)).isEqualTo(b.fault(rates));
      assertThat(a.failure(failures)).isEqualTo(b.failure(failures));
    }
  }

  @Test
  void knobsRejectUnknownTaskErrorCodesAndExcessRates() {
    assertThatThrownBy(() -> SimulatorKnobs.DEFAULTS.withTaskFailureRates(Map.of("boom", 0.1)))
        .hasMessageContaining("boom");
    assertThatThrownBy(
            () ->
                SimulatorKnobs.DEFAULTS.withTaskFailureRates(
                    Map.of("service_error", 0.7, "unknown_error", 0.7)))
        .hasMessageContaining("add up to <= 1");
  }
}
