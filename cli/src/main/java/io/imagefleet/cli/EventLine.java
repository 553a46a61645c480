package io.imagefleet.cli;

import io.imagefleet.contracts.StatusEvent;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One status event as one readable terminal line. */
final class EventLine {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private EventLine() {}

  static String format(StatusEvent e) {
    StringBuilder b =
        new StringBuilder()
            .append(TIME.format(e.occurredAt()))
            .append("  ")
            .append(String.format("%-9s", e.status()))
            .append(' ')
            .append(e.jobId())
            .append("  tenant=")
            .append(e.tenant());
    if (e.attempt() > 1) {
      b.append(" attempt=").append(e.attempt());
    }
    if (e.route() != null) {
      b.append(" route=").append(e.route());
    }
    switch (e.status()) {
      case SUBMITTED -> b.append(" task=").append(e.upstreamTaskId());
      case RUNNING -> b.append(" progress=").append(e.progress()).append('%');
      case SUCCEEDED ->
          b.append(" images=")
              .append(e.images().size())
              .append(" cost=$")
              .append(e.costUsd())
              .append(e.images().isEmpty() ? "" : " first=" + e.images().get(0).location());
      case FAILED ->
          b.append(" error=")
              .append(e.error() == null ? "?" : e.error().code())
              .append(e.error() == null ? "" : " (" + e.error().message() + ")");
      default -> {}
    }
    b.append("  worker=").append(e.workerId());
    return b.toString();
  }
}
