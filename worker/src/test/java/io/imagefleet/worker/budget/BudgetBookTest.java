package io.imagefleet.worker.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.budget.BudgetDecision.Outcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BudgetBookTest {
  private static final Instant NOON = Instant.parse("2026-11-24T12:00:00Z");

  private static BudgetEntry reserve(
      String job, String amount, String daily, String monthly, Instant at) {
    return new BudgetEntry(
        1,
        BudgetEntry.Kind.RESERVE,
        "catalog",
        job + "/1",
        "req-" + job,
        job,
        1,
        new BigDecimal(amount),
        daily == null ? null : new BigDecimal(daily),
        monthly == null ? null : new BigDecimal(monthly),
        at,
        "w");
  }

  private static BudgetEntry settle(String job, String amount, Instant at) {
    return new BudgetEntry(
        1,
        BudgetEntry.Kind.SETTLE,
        "catalog",
        job + "/1",
        null,
        job,
        1,
        new BigDecimal(amount),
        null,
        null,
        at,
        "w");
  }

  private static Outcome decide(BudgetBook book, BudgetEntry entry) {
    return book.apply(entry).orElseThrow().outcome();
  }

  @Test
  void grantsReservationsUntilTheDailyLimitAndDeniesTheOneThatWouldPassIt() {
    BudgetBook book = new BudgetBook();
    assertThat(decide(book, reserve("a", "0.40", "1.00", null, NOON))).isEqualTo(Outcome.GRANTED);
    assertThat(decide(book, reserve("b", "0.60", "1.00", null, NOON))).isEqualTo(Outcome.GRANTED);
    BudgetDecision denied = book.apply(reserve("c", "0.01", "1.00", null, NOON)).orElseThrow();
    assertThat(denied.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(denied.reason()).contains("daily budget of $1.00").contains("2026-11-24");
  }

  @Test
  void theActualCostReplacesTheEstimateWhenAJobIsSettled() {
    BudgetBook book = new BudgetBook();
    decide(book, reserve("a", "0.90", "1.00", null, NOON));
    assertThat(decide(book, reserve("b", "0.20", "1.00", null, NOON))).isEqualTo(Outcome.DENIED);
    book.apply(settle("a", "0.50", NOON));
    assertThat(decide(book, reserve("c", "0.50", "1.00", null, NOON))).isEqualTo(Outcome.GRANTED);
    book.apply(settle("c", "0", NOON)); // failed: nothing spent
    assertThat(book.held("catalog", LocalDate.parse("2026-11-24"))[0]).isEqualByComparingTo("0.50");
    assertThat(book.openReservations()).isZero();
  }

  @Test
  void aNewDayStartsAFreshDailyBudgetButTheMonthlyOneRemembers() {
    BudgetBook book = new BudgetBook();
    decide(book, reserve("a", "0.90", "1.00", "1.50", NOON));
    book.apply(settle("a", "0.90", NOON));
    Instant tomorrow = NOON.plusSeconds(86_400);
    assertThat(decide(book, reserve("b", "0.50", "1.00", "1.50", tomorrow)))
        .isEqualTo(Outcome.GRANTED);
    BudgetDecision denied =
        book.apply(reserve("c", "0.20", "1.00", "1.50", tomorrow)).orElseThrow();
    assertThat(denied.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(denied.reason()).contains("monthly budget of $1.50").contains("2026-11");
  }

  @Test
  void theSameAttemptRunAgainKeepsItsReservationInsteadOfTakingASecond() {
    BudgetBook book = new BudgetBook();
    decide(book, reserve("a", "0.60", "1.00", null, NOON));
    // Its first worker stopped; the next owner reserves again for the same job and attempt.
    assertThat(decide(book, reserve("a", "0.60", "1.00", null, NOON.plusSeconds(30))))
        .isEqualTo(Outcome.GRANTED);
    assertThat(book.held("catalog", LocalDate.parse("2026-11-24"))[0]).isEqualByComparingTo("0.60");
  }

  @Test
  void twoTenantsWithTheSameJobIdHoldTheirOwnReservations() {
    BudgetBook book = new BudgetBook();
    decide(book, reserve("job-1", "0.60", "1.00", null, NOON));
    BudgetEntry otherTeams =
        new BudgetEntry(
            1,
            BudgetEntry.Kind.RESERVE,
            "marketing",
            "job-1/1",
            "req-m",
            "job-1",
            1,
            new BigDecimal("0.70"),
            new BigDecimal("1.00"),
            null,
            NOON,
            "w");
    assertThat(decide(book, otherTeams))
        .as("not the catalog's reservation run again")
        .isEqualTo(Outcome.GRANTED);
    assertThat(book.held("marketing", LocalDate.parse("2026-11-24"))[0])
        .isEqualByComparingTo("0.70");

    book.apply(settle("job-1", "0.10", NOON));
    assertThat(book.held("catalog", LocalDate.parse("2026-11-24"))[0]).isEqualByComparingTo("0.10");
    assertThat(book.held("marketing", LocalDate.parse("2026-11-24"))[0])
        .as("the catalog's settlement leaves the marketing team's reservation alone")
        .isEqualByComparingTo("0.70");
  }

  @Test
  void ignoresSettlementsOfReservationsItNeverGranted() {
    BudgetBook book = new BudgetBook();
    book.apply(settle("ghost", "5.00", NOON));
    assertThat(decide(book, reserve("a", "1.00", "1.00", null, NOON))).isEqualTo(Outcome.GRANTED);
  }

  @Test
  void twoBooksReadingTheSameLogDecideAlikeAndNeverGrantPastTheLimit() {
    Random random = new Random(42);
    List<BudgetEntry> log = new ArrayList<>();
    Map<String, Integer> reservedCents = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      String job = "j" + (i % 300);
      if (random.nextInt(3) == 0 && reservedCents.containsKey(job)) {
        // Settled at or below the estimate: the case in which the bound is "not at all".
        log.add(settle(job, "0.0" + random.nextInt(reservedCents.remove(job) + 1), NOON));
      } else {
        int cents = 1 + random.nextInt(9);
        reservedCents.putIfAbsent(job, cents);
        log.add(reserve(job, "0.0" + reservedCents.get(job), "3.00", "5.00", NOON));
      }
    }
    BudgetBook first = new BudgetBook();
    BudgetBook second = new BudgetBook();
    for (BudgetEntry entry : log) {
      assertThat(first.apply(entry)).isEqualTo(second.apply(entry));
      BigDecimal[] held = first.held("catalog", LocalDate.parse("2026-11-24"));
      assertThat(held[0]).isLessThanOrEqualTo(new BigDecimal("3.00"));
    }
  }
}
