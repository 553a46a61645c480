package io.imagefleet.contracts;

/**
 * Where a job attempt stands. {@code ACCEPTED -> SUBMITTED -> RUNNING* -> SUCCEEDED | FAILED};
 * every attempt ends in exactly one terminal status. {@link #DUPLICATE} answers a repeated record.
 */
public enum JobStatus {
  /** Decoded and valid; the worker owns it now. */
  ACCEPTED,
  /** The upstream accepted the task; {@code upstream_task_id} is set. */
  SUBMITTED,
  /** The upstream is working on it; {@code progress} is 0 to 100. */
  RUNNING,
  /**
   * Terminal: every image is stored; {@code images}, {@code usage} and {@code cost_usd} are set.
   */
  SUCCEEDED,
  /** Terminal: {@code error} says why. */
  FAILED,
  /**
   * Not part of an attempt's life: the answer to a record that repeats a job attempt which already
   * ended ({@code error.code} {@code duplicate_job} says with which status). Nothing was run or
   * paid. The attempt's own terminal event stays the only one; readers that follow attempts ignore
   * it.
   */
  DUPLICATE;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
