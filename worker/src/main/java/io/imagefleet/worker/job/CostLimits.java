package io.imagefleet.worker.job;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Money;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.budget.BudgetDecision;
import io.imagefleet.worker.budget.Budgets;
import io.imagefleet.worker.config.RouteSettings;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a job may spend, checked before it spends anything: its own ceiling ({@code max_cost_usd})
 * against the estimate, then its tenant's budget. Thread safe.
 */
final class CostLimits {
  private final CostEstimator estimator;
  private final Budgets budgets;

  CostLimits(CostEstimator estimator, Budgets budgets) {
    this.estimator = estimator;
    this.budgets = budgets;
  }

  CostEstimator estimator() {
    return estimator;
  }

  /** A FAILED error when the estimate on the job's own route is above the job's ceiling. */
  Optional<JobError> overCeiling(JobRequest job) {
    if (job.maxCostUsd() == null) {
      return Optional.empty();
    }
    return estimator
        .estimate(job, job.route())
        .filter(estimate -> estimate.compareTo(job.maxCostUsd()) > 0)
        .map(
            estimate ->
                JobError.of(
                    ErrorCodes.COST_CEILING_EXCEEDED,
                    "estimated cost $"
                        + Money.format(estimate)
                        + " is above the job's max_cost_usd of $"
                        + Money.format(job.maxCostUsd()),
                    false));
  }

  /** Whether the job may use {@code route} (a fallback included) without passing its ceiling. */
  boolean withinCeiling(JobRequest job, RouteSettings route) {
    return job.maxCostUsd() == null
        || estimator
            .estimate(job, route.model())
            .map(estimate -> estimate.compareTo(job.maxCostUsd()) <= 0)
            .orElse(true);
  }

  /**
   * Reserves the job's most expensive estimate among the routes it may use from its tenant's
   * budget. Completes with empty when the job may spend, or with the FAILED error when it must not.
   */
  CompletableFuture<Optional<JobError>> reserve(JobRequest job, Collection<String> routes) {
    BigDecimal amount =
        routes.stream()
            .map(r -> estimator.estimate(job, r).orElse(BigDecimal.ZERO))
            .max(BigDecimal::compareTo)
            .orElse(BigDecimal.ZERO);
    return budgets.reserve(job, amount).thenApply(CostLimits::refusal);
  }

  private static Optional<JobError> refusal(BudgetDecision decision) {
    return switch (decision.outcome()) {
      case UNLIMITED, GRANTED -> Optional.empty();
      case DENIED -> Optional.of(JobError.of(ErrorCodes.BUDGET_EXCEEDED, decision.reason(), false));
      case UNAVAILABLE ->
          Optional.of(JobError.of(ErrorCodes.BUDGET_UNAVAILABLE, decision.reason(), true));
    };
  }

  /** The job ended: what it really cost replaces its reservation. */
  void settle(JobRequest job, StatusEvent terminal) {
    BigDecimal actual =
        terminal.status() == JobStatus.SUCCEEDED && terminal.costUsd() != null
            ? terminal.costUsd()
            : BigDecimal.ZERO;
    budgets.settle(job, actual);
  }
}
