package io.imagefleet.worker.budget;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.Money;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One record of the budget ledger topic (internal to the fleet), keyed by tenant so that all of a
 * tenant's records are in one partition, in one order that every worker reads alike.
 *
 * <p>A {@code RESERVE} carries the limits its writer had configured, so that its decision depends
 * on the log alone and two workers with different configuration still agree on it.
 *
 * @param kind RESERVE (before spending) or SETTLE (after the job ended)
 * @param reservationId {@code <job id>/<attempt>} within its tenant: a re-run of the same attempt
 *     re-uses its reservation
 * @param requestId unique per RESERVE, so the writer recognises its own record when it reads it
 *     back
 * @param amountUsd RESERVE: the estimate reserved; SETTLE: the actual cost
 * @param dailyLimitUsd RESERVE: the tenant's daily limit (UTC day of {@code occurredAt}), if any
 * @param monthlyLimitUsd RESERVE: the tenant's monthly limit (UTC month of {@code occurredAt}), if
 *     any
 * @param occurredAt the writer's clock; decides the day and month the amount counts in
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
record BudgetEntry(
    int schemaVersion,
    Kind kind,
    String tenant,
    String reservationId,
    String requestId,
    String jobId,
    int attempt,
    BigDecimal amountUsd,
    BigDecimal dailyLimitUsd,
    BigDecimal monthlyLimitUsd,
    Instant occurredAt,
    String workerId) {

  enum Kind {
    RESERVE,
    SETTLE
  }

  BudgetEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(amountUsd, "amountUsd");
    Objects.requireNonNull(occurredAt, "occurredAt");
    schemaVersion = schemaVersion == 0 ? 1 : schemaVersion;
  }

  /**
   * Whether every amount is one a worker could have written. The ledger adds amounts exactly: one
   * with an absurd exponent ({@code 1e999999999}), from any producer that can write to the topic,
   * would make the sum's digits fill the heap of every worker that reads it, so the reader skips
   * such a record.
   */
  boolean hasSaneAmounts() {
    return Money.isSummable(amountUsd)
        && Money.isSummable(dailyLimitUsd)
        && Money.isSummable(monthlyLimitUsd);
  }

  /** Reads a record's value, as written by any version of the worker. */
  static BudgetEntry read(byte[] value) throws IOException {
    return Json.mapper().readValue(value, BudgetEntry.class);
  }

  static String reservationId(String jobId, int attempt) {
    return jobId + "/" + attempt;
  }
}
