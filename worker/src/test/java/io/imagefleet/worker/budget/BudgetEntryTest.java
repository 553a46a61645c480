package io.imagefleet.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BudgetEntryTest {
  private static BudgetEntry reserve(String amount, String daily) {
    return new BudgetEntry(
        1,
        BudgetEntry.Kind.RESERVE,
        "catalog",
        "j/1",
        "req-j",
        "j",
        1,
        new BigDecimal(amount),
        new BigDecimal(daily),
        null,
        Instant.parse("2026-11-24T12:00:00Z"),
        "w");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0.357", "0", "999999999999.99", "0.000000000000000000000000000001", "1E+20"})
  void acceptsAmountsAWorkerCanWrite(String amount) {
    assertThat(reserve(amount, "100.00").hasSaneAmounts()).isTrue();
    assertThat(reserve("0.5", amount).hasSaneAmounts()).isTrue();
  }

  /** The ledger skips these; added up, their digits would fill the heap. */
  @ParameterizedTest
  @ValueSource(strings = {"1e999999999", "1e-999999999", "1E+101", "1E-101", "-1e999999999"})
  void refusesAmountsWithAbsurdExponents(String amount) {
    assertThat(reserve(amount, "100.00").hasSaneAmounts()).isFalse();
    assertThat(reserve("0.5", amount).hasSaneAmounts()).isFalse();
  }
}
