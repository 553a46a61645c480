package io.imagefleet.worker.upstream;

import java.util.Locale;

/** The upstream's task status. */
public enum TaskState {
  PENDING,
  PROCESSING,
  COMPLETED,
  FAILED;

  static TaskState fromWire(String wire) {
    return wire == null ? PENDING : valueOf(wire.toUpperCase(Locale.ROOT));
  }

  public boolean isDone() {
    return this == COMPLETED || this == FAILED;
  }
}
