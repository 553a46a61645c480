package io.imagefleet.worker.budget;

import io.imagefleet.contracts.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The budget ledger's state, rebuilt by applying its records in log order. A reservation's decision
 * is a pure function of the records before it, so every worker that reads the log decides alike,
 * and the writer of a reservation can act on the decision it reads back.
 *
 * <p>Held spend per tenant and period (UTC day, UTC month) is the sum of granted reservations: the
 * estimate while a job runs, its actual cost once it is settled. A reservation is granted when it
 * fits under every limit it carries, counting everything held before it; so granted reservations
 * never add up to more than a limit.
 *
 * <p>Owned by the ledger thread; not thread safe.
 */
final class BudgetBook {
  /** A granted reservation not yet settled. */
  private record Open(String tenant, BigDecimal amount, LocalDate day, YearMonth month) {}

  /** Reservations are a tenant's own: two teams may both name a job {@code job-1}. */
  private record Held(String tenant, String reservationId) {
    static Held of(BudgetEntry entry) {
      return new Held(entry.tenant(), entry.reservationId());
    }
  }

  private final Map<Held, Open> open = new HashMap<>();
  private final Map<String, BigDecimal> heldByDay = new HashMap<>();
  private final Map<String, BigDecimal> heldByMonth = new HashMap<>();
  private LocalDate latestDay = LocalDate.MIN;

  /** Applies one record; for a RESERVE, returns its decision. */
  Optional<BudgetDecision> apply(BudgetEntry entry) {
    LocalDate day = entry.occurredAt().atOffset(ZoneOffset.UTC).toLocalDate();
    if (day.isAfter(latestDay)) {
      latestDay = day;
      forgetOldPeriods();
    }
    return switch (entry.kind()) {
      case RESERVE -> Optional.of(reserve(entry, day));
      case SETTLE -> {
        settle(entry);
        yield Optional.empty();
      }
    };
  }

  private BudgetDecision reserve(BudgetEntry r, LocalDate day) {
    YearMonth month = YearMonth.from(day);
    Open earlier = open.get(Held.of(r));
    if (earlier != null && earlier.month().equals(month)) {
      // The same attempt run again (its first owner stopped before it ended): it keeps what it
      // holds.
      return new BudgetDecision(BudgetDecision.Outcome.GRANTED, null);
    }
    open.remove(Held.of(r));
    BigDecimal daily = held(heldByDay, dayKey(r.tenant(), day));
    BigDecimal monthly = held(heldByMonth, monthKey(r.tenant(), month));
    if (r.dailyLimitUsd() != null && daily.add(r.amountUsd()).compareTo(r.dailyLimitUsd()) > 0) {
      return denied("daily", day.toString(), daily, r);
    }
    if (r.monthlyLimitUsd() != null
        && monthly.add(r.amountUsd()).compareTo(r.monthlyLimitUsd()) > 0) {
      return denied("monthly", month.toString(), monthly, r);
    }
    heldByDay.merge(dayKey(r.tenant(), day), r.amountUsd(), BigDecimal::add);
    heldByMonth.merge(monthKey(r.tenant(), month), r.amountUsd(), BigDecimal::add);
    open.put(Held.of(r), new Open(r.tenant(), r.amountUsd(), day, month));
    return new BudgetDecision(BudgetDecision.Outcome.GRANTED, null);
  }

  private static BudgetDecision denied(String period, String when, BigDecimal held, BudgetEntry r) {
    BigDecimal limit = period.equals("daily") ? r.dailyLimitUsd() : r.monthlyLimitUsd();
    return new BudgetDecision(
        BudgetDecision.Outcome.DENIED,
        "tenant "
            + r.tenant()
            + " has $"
            + Money.format(held)
            + " of its "
            + period
            + " budget of $"
            + Money.format(limit)
            + " spent or reserved for "
            + when
            + "; this job's estimate of $"
            + Money.format(r.amountUsd())
            + " does not fit");
  }

  /** The actual cost replaces the estimate in the periods the reservation counted in. */
  private void settle(BudgetEntry s) {
    Open granted = open.remove(Held.of(s));
    if (granted == null) {
      return; // never granted here, settled already, or from before the log's start: nothing held
    }
    BigDecimal change = s.amountUsd().subtract(granted.amount());
    heldByDay.merge(dayKey(granted.tenant(), granted.day()), change, BigDecimal::add);
    heldByMonth.merge(monthKey(granted.tenant(), granted.month()), change, BigDecimal::add);
  }

  /**
   * Spend held for {@code tenant} on {@code day} and in its month: settled costs plus open
   * reservations.
   */
  BigDecimal[] held(String tenant, LocalDate day) {
    return new BigDecimal[] {
      held(heldByDay, dayKey(tenant, day)), held(heldByMonth, monthKey(tenant, YearMonth.from(day)))
    };
  }

  /**
   * Where a reader of the log starts: decisions this month depend only on this month's records; a
   * day before it, for clocks that lag.
   */
  static Instant decidingWindowStart(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return today.withDayOfMonth(1).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  int openReservations() {
    return open.size();
  }

  private static BigDecimal held(Map<String, BigDecimal> map, String key) {
    return map.getOrDefault(key, BigDecimal.ZERO);
  }

  private static String dayKey(String tenant, LocalDate day) {
    return tenant + "|" + day;
  }

  private static String monthKey(String tenant, YearMonth month) {
    return tenant + "|" + month;
  }

  /**
   * Only today and this month decide anything; keep a little more for clocks that lag. Keeps the
   * book's size bounded by tenants, not by the log's length.
   */
  private void forgetOldPeriods() {
    LocalDate oldestDay = latestDay.minusDays(2);
    YearMonth oldestMonth = YearMonth.from(latestDay).minusMonths(1);
    heldByDay
        .keySet()
        .removeIf(k -> LocalDate.parse(k.substring(k.lastIndexOf('|') + 1)).isBefore(oldestDay));
    heldByMonth
        .keySet()
        .removeIf(k -> YearMonth.parse(k.substring(k.lastIndexOf('|') + 1)).isBefore(oldestMonth));
    open.values().removeIf(o -> o.month().isBefore(oldestMonth));
  }
}
