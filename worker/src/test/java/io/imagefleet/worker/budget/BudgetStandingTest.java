package io.imagefleet.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.Json;
import io.imagefleet.worker.budget.BudgetStanding.TenantBudget;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetStandingTest {
  private static final Instant NOON = Instant.parse("2026-11-24T12:00:00Z");

  private final BudgetStanding standing = new BudgetStanding();

  private static byte[] entry(
      BudgetEntry.Kind kind, String tenant, String job, String amount, String daily, Instant at)
      throws Exception {
    return Json.mapper()
        .writeValueAsBytes(
            new BudgetEntry(
                1,
                kind,
                tenant,
                job + "/1",
                "req-" + job,
                job,
                1,
                new BigDecimal(amount),
                daily == null ? null : new BigDecimal(daily),
                daily == null ? null : new BigDecimal("100"),
                at,
                "w"));
  }

  @Test
  void holdsRunningEstimatesAndSettledCostsAgainstTheLatestLimits() throws Exception {
    standing.apply(
        entry(BudgetEntry.Kind.RESERVE, "catalog", "old", "1.00", "5", NOON.minusSeconds(86_400)));
    assertThat(standing.apply(entry(BudgetEntry.Kind.RESERVE, "catalog", "a", "0.40", "5", NOON)))
        .isTrue();
    standing.apply(entry(BudgetEntry.Kind.RESERVE, "catalog", "b", "0.60", "6", NOON));
    standing.apply(entry(BudgetEntry.Kind.SETTLE, "catalog", "a", "0.10", null, NOON));

    assertThat(standing.tenants(NOON))
        .containsExactly(
            new TenantBudget(
                "catalog",
                new BigDecimal("0.70"),
                new BigDecimal("6"),
                new BigDecimal("1.70"),
                new BigDecimal("100")));
    assertThat(standing.tenants(NOON.plusSeconds(86_400)).get(0).heldTodayUsd())
        .as("a new UTC day holds nothing yet")
        .isZero();
  }

  @Test
  void skipsWhatAWorkerCouldNotHaveWritten() throws Exception {
    assertThat(standing.apply("{not json".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(standing.apply(entry(BudgetEntry.Kind.RESERVE, "x", "a", "1e999999999", null, NOON)))
        .isFalse();
    for (int i = 0; i < BudgetStanding.MAX_TENANTS; i++) {
      standing.apply(entry(BudgetEntry.Kind.RESERVE, "t" + i, "a", "0.01", null, NOON));
    }
    assertThat(
            standing.apply(entry(BudgetEntry.Kind.RESERVE, "one-too-many", "a", "1", null, NOON)))
        .isFalse();
    assertThat(standing.tenants(NOON)).hasSize(BudgetStanding.MAX_TENANTS);
  }

  @Test
  void readsFromTheDayBeforeTheMonth() {
    assertThat(BudgetStanding.readFrom(NOON)).isEqualTo(Instant.parse("2026-10-31T00:00:00Z"));
  }
}
