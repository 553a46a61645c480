package io.imagefleet.contracts;

/**
 * Where a job attempt stands. {@code ACCEPTED -> SUBMITTED -> RUNNING* -> SUCCEEDED | FAILED};
 * every attempt ends in exactly one terminal status.
 */
public enum JobStatus {
  /** Decoded and valid; the worker owns it now. */
  ACCEPTED,
  /** The upstream accepted the task; {@code upstream_task_id} is set. */
  SUBMITTED,
  /** The upstream is working on it; {@code progress} is 0 to 100. */
  RUNNING,
  /** Terminal: every image is stored; {@code images}, {@code usage} and {@code cost_usd} are set. */
  SUCCEEDED,
  /** Terminal: {@code error} says why. */
  FAILED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
