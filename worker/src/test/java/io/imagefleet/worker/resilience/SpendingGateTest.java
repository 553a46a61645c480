package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.sandbox.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpendingGateTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final SpendingGate gate =
      new SpendingGate(clock, Duration.ofSeconds(30), FleetLink.ALONE, "w-1");

  @Test
  void isOpenUntilSpendingIsStoppedAndSaysWhy() {
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.tryAcquireProbe()).as("open: every caller may submit").isTrue();

    gate.stopSpending("insufficient_quota");
    gate.stopSpending("unauthorized");
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.stoppedReason()).as("the first reason stands").contains("insufficient_quota");
  }

  @Test
  void letsOneProbeThroughPerIntervalWhileStopped() {
    gate.stopSpending("insufficient_quota");
    assertThat(gate.tryAcquireProbe()).as("the interval counts from the stop").isFalse();

    clock.advance(Duration.ofSeconds(30));
    assertThat(gate.tryAcquireProbe()).isTrue();
    assertThat(gate.tryAcquireProbe()).as("one probe per interval").isFalse();

    clock.advance(Duration.ofSeconds(29));
    assertThat(gate.tryAcquireProbe()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(gate.tryAcquireProbe()).isTrue();
  }

  @Test
  void aSubmissionThatGoesThroughResumesSpending() {
    gate.stopSpending("unauthorized");
    gate.resume();
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.stoppedReason()).isEmpty();
    assertThat(gate.tryAcquireProbe()).isTrue();
  }
}
