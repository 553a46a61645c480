package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnobsJsonTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void patchChangesOnlyTheNamedFields() throws Exception {
    SimulatorKnobs start = SimulatorKnobs.DEFAULTS.withCreateFaults(FaultRates.NONE.withHang(0.2));
    SimulatorKnobs patched =
        KnobsJson.apply(
            start,
            json(
                "{'taskDuration':'2s',"
                    + "'queryLatency':{'type':'uniform','min':'10ms','max':'50ms'},"
                    + "'createFaults':{'rateLimited':0.25,'retryAfterSeconds':3},"
                    + "'taskFailureRates':{'content_policy_violation':0.1},'quotaExhausted':true}"));
    assertThat(patched.taskDuration()).isEqualTo(DurationDistribution.fixed(Duration.ofSeconds(2)));
    assertThat(patched.queryLatency())
        .isEqualTo(DurationDistribution.uniform(Duration.ofMillis(10), Duration.ofMillis(50)));
    assertThat(patched.createLatency()).isEqualTo(start.createLatency());
    assertThat(patched.createFaults()).isEqualTo(new FaultRates(0.25, 0, 0, 0, 0.2, 3));
    assertThat(patched.queryFaults()).isEqualTo(FaultRates.NONE);
    assertThat(patched.taskFailureRates()).isEqualTo(Map.of("content_policy_violation", 0.1));
    assertThat(patched.quotaExhausted()).isTrue();
  }

  @Test
  void rateLimitsAreSetAndLiftedByPatch() throws Exception {
    SimulatorKnobs limited =
        KnobsJson.apply(
            SimulatorKnobs.DEFAULTS, json("{'createsPerSecond':20,'queriesPerSecond':60.5}"));
    assertThat(limited.createsPerSecond()).isEqualTo(20);
    assertThat(limited.queriesPerSecond()).isEqualTo(60.5);
    SimulatorKnobs lifted = KnobsJson.apply(limited, json("{'createsPerSecond':0}"));
    assertThat(lifted.createsPerSecond()).isZero();
    assertThat(lifted.queriesPerSecond()).isEqualTo(60.5);
    assertThatThrownBy(
            () -> KnobsJson.apply(SimulatorKnobs.DEFAULTS, json("{'createsPerSecond':-1}")))
        .hasMessageContaining("createsPerSecond must be >= 0");
    assertThatThrownBy(
            () -> KnobsJson.apply(SimulatorKnobs.DEFAULTS, json("{'queriesPerSecond':'fast'}")))
        .hasMessageContaining("queriesPerSecond must be a number");
  }

  @Test
  void renderedKnobsReadBackUnchanged() throws Exception {
    SimulatorKnobs knobs =
        SimulatorKnobs.DEFAULTS
            .withTaskDuration(
                DurationDistribution.logNormal(Duration.ofSeconds(20), Duration.ofSeconds(90)))
            .withCreateLatency(DurationDistribution.fixed(Duration.ofMillis(150)))
            .withQueryFaults(new FaultRates(0.1, 0.05, 0.01, 0.02, 0.001, 7))
            .withTaskFailureRates(Map.of("generation_timeout", 0.03))
            .withCreatesPerSecond(20)
            .withQueriesPerSecond(0.5);
    JsonNode rendered = KnobsJson.render(mapper, knobs);
    assertThat(KnobsJson.apply(SimulatorKnobs.DEFAULTS, rendered)).isEqualTo(knobs);
  }

  @Test
  void rejectsUnknownFieldsAndBadValuesByName() {
    assertThatThrownBy(() -> KnobsJson.apply(SimulatorKnobs.DEFAULTS, json("{'speed':1}")))
        .hasMessageContaining("speed");
    assertThatThrownBy(
            () -> KnobsJson.apply(SimulatorKnobs.DEFAULTS, json("{'createFaults':{'boom':1}}")))
        .hasMessageContaining("createFaults.boom");
    assertThatThrownBy(
            () -> KnobsJson.apply(SimulatorKnobs.DEFAULTS, json("{'createFaults':{'hang':2}}")))
        .hasMessageContaining("hang must be in 0..1");
    assertThatThrownBy(
            () ->
                KnobsJson.apply(SimulatorKnobs.DEFAULTS, json("{'taskFailureRates':{'nope':0.1}}")))
        .hasMessageContaining("nope");
    assertThatThrownBy(
            () -> KnobsJson.apply(SimulatorKnobs.DEFAULTS, json("{'quotaExhausted':'yes'}")))
        .hasMessageContaining("quotaExhausted");
  }

  private JsonNode json(String singleQuoted) {
    try {
      return mapper.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }
}
