package io.imagefleet.worker.budget;

/**
 * The answer to a reservation.
 *
 * @param outcome what was decided
 * @param reason for a denial or an unavailable ledger: why, naming the limit (no secrets)
 */
public record BudgetDecision(Outcome outcome, String reason) {
  /** What a reservation came to. */
  public enum Outcome {
    /** The tenant has no budget: nothing was reserved. */
    UNLIMITED,
    /** Reserved: the job may spend up to the amount. */
    GRANTED,
    /** The amount would take the tenant over a limit: the job must not spend. */
    DENIED,
    /** The ledger could not decide in time: the job must not spend. */
    UNAVAILABLE
  }

  public static BudgetDecision unlimited() {
    return new BudgetDecision(Outcome.UNLIMITED, null);
  }

  public boolean maySpend() {
    return outcome == Outcome.UNLIMITED || outcome == Outcome.GRANTED;
  }
}
