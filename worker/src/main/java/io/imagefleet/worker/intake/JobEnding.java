package io.imagefleet.worker.intake;

import io.imagefleet.contracts.StatusEvent;
import java.util.Objects;

/**
 * How the intake answers one job record: an event to publish in the same transaction as the
 * record's offset, and what to do once that transaction is committed (settle its budget, deliver
 * its callback).
 *
 * @param event the job attempt's terminal event, or the answer to a record that is not run
 * @param afterCommit runs once the transaction is committed
 * @param endsAttempt whether the event ends the job attempt, so that its ENDED state is recorded
 *     with it; false for answers to records that were never run as the attempt (a record under
 *     another key, a duplicate of an ended attempt), which must not stop the attempt's own record
 *     from running
 * @param callbackUrl where the terminal event is owed as a callback, null for none: the owed
 *     callback is written in the same transaction as the event
 * @param traceparent the W3C {@code traceparent} of the job's trace anchor, null when the job is
 *     not traced: the commit that makes the ending durable is traced under it
 */
public record JobEnding(
    StatusEvent event,
    Runnable afterCommit,
    boolean endsAttempt,
    String callbackUrl,
    String traceparent) {
  public JobEnding {
    Objects.requireNonNull(event, "event");
    afterCommit = afterCommit == null ? () -> {} : afterCommit;
    callbackUrl = callbackUrl == null || callbackUrl.isBlank() ? null : callbackUrl;
  }

  public JobEnding(
      StatusEvent event, Runnable afterCommit, boolean endsAttempt, String callbackUrl) {
    this(event, afterCommit, endsAttempt, callbackUrl, null);
  }

  public JobEnding(StatusEvent event, Runnable afterCommit, boolean endsAttempt) {
    this(event, afterCommit, endsAttempt, null, null);
  }

  /** A job attempt's terminal event, without a callback. */
  public JobEnding(StatusEvent terminal, Runnable afterCommit) {
    this(terminal, afterCommit, true, null, null);
  }

  /**
   * An answer to a record that was not run as its attempt: nothing is recorded, nothing follows.
   */
  public static JobEnding answer(StatusEvent event) {
    return new JobEnding(event, null, false);
  }
}
