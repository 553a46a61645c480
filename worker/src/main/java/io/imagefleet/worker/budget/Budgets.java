package io.imagefleet.worker.budget;

import io.imagefleet.contracts.JobRequest;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;

/**
 * Tenants' spending limits, asked before a job spends and told when it has ended. Thread safe.
 * {@link #NONE} is for a fleet without budgets: every job may spend.
 */
public interface Budgets extends AutoCloseable {

  /**
   * Reserves {@code amountUsd} of the job's tenant's budget. Completes when the reservation is
   * decided, never exceptionally; a tenant without a budget is granted at once.
   */
  CompletableFuture<BudgetDecision> reserve(JobRequest job, BigDecimal amountUsd);

  /**
   * The job ended and its terminal event is durable: its reservation is replaced by what it really
   * cost ({@code actualUsd}, zero when it failed). Returns at once.
   */
  void settle(JobRequest job, BigDecimal actualUsd);

  @Override
  void close();

  Budgets NONE =
      new Budgets() {
        @Override
        public CompletableFuture<BudgetDecision> reserve(JobRequest job, BigDecimal amountUsd) {
          return CompletableFuture.completedFuture(BudgetDecision.unlimited());
        }

        @Override
        public void settle(JobRequest job, BigDecimal actualUsd) {}

        @Override
        public void close() {}
      };
}
