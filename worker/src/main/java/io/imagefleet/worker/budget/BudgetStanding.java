package io.imagefleet.worker.budget;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each tenant's budget as the ledger topic holds it, for a reader outside the fleet (the console):
 * spend held today and this month (settled costs plus the estimates of jobs still running) against
 * the limits its workers configured. It applies the records exactly as the workers do, so it shows
 * what they decide on. Tenants appear once they reserved: only tenants with a budget do.
 *
 * <p>Not thread safe: one reader applies, and the same thread (or a lock) reads.
 */
public final class BudgetStanding {
  /**
   * The ledger's key is any producer's string: a topic that names more tenants than this is not one
   * page's worth, and the ones first seen are kept.
   */
  static final int MAX_TENANTS = 1000;

  private final BudgetBook book = new BudgetBook();

  /** The limits of each tenant's latest reservation: what its workers have configured now. */
  private final Map<String, Limits> limits = new TreeMap<>();

  private record Limits(BigDecimal dailyUsd, BigDecimal monthlyUsd) {}

  /**
   * One tenant's standing now.
   *
   * @param dailyLimitUsd null when the tenant has no daily limit
   * @param monthlyLimitUsd null when the tenant has no monthly limit
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TenantBudget(
      String tenant,
      BigDecimal heldTodayUsd,
      BigDecimal dailyLimitUsd,
      BigDecimal heldThisMonthUsd,
      BigDecimal monthlyLimitUsd) {}

  /** Where a reader of the ledger topic starts (by record timestamp) to see what {@code now}. */
  public static Instant readFrom(Instant now) {
    return BudgetBook.decidingWindowStart(now);
  }

  /**
   * Applies one record's value, in log order; answers false for one it skipped (unreadable, an
   * amount out of range, a tenant past {@link #MAX_TENANTS}).
   */
  public boolean apply(byte[] value) {
    BudgetEntry entry;
    try {
      entry = BudgetEntry.read(value);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (!entry.hasSaneAmounts()
        || (!limits.containsKey(entry.tenant()) && limits.size() >= MAX_TENANTS)) {
      return false;
    }
    book.apply(entry);
    if (entry.kind() == BudgetEntry.Kind.RESERVE) {
      limits.put(entry.tenant(), new Limits(entry.dailyLimitUsd(), entry.monthlyLimitUsd()));
    }
    return true;
  }

  /** Every tenant that reserved, by name, as of {@code now}'s UTC day and month. */
  public List<TenantBudget> tenants(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<TenantBudget> all = new ArrayList<>(limits.size());
    limits.forEach(
        (tenant, limit) -> {
          BigDecimal[] held = book.held(tenant, today);
          all.add(new TenantBudget(tenant, held[0], limit.dailyUsd(), held[1], limit.monthlyUsd()));
        });
    return List.copyOf(all);
  }
}
