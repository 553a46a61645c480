package io.imagefleet.worker.intake;

import io.imagefleet.contracts.StatusEvent;
import java.util.Objects;

/**
 * How a job attempt ended: its terminal event, to publish in the same transaction as its offset, and
 * what to do once that transaction is committed (settle its budget, deliver its callback).
 */
public record JobEnding(StatusEvent terminal, Runnable afterCommit) {
  public JobEnding {
    Objects.requireNonNull(terminal, "terminal");
    afterCommit = afterCommit == null ? () -> { } : afterCommit;
  }
}
