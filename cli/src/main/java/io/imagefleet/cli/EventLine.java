package io.imagefleet.cli;

import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Help.Ansi;

/** One status event as one readable terminal line. */
final class EventLine {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private EventLine() {}

  static String format(StatusEvent e) {
    return format(e, Ansi.OFF);
  }

  /** With {@code ansi} on, the status is coloured: green once it succeeded, red once it failed. */
  static String format(StatusEvent e, Ansi ansi) {
    StringBuilder b =
        new StringBuilder()
            .append(TIME.format(e.occurredAt()))
            .append("  ")
            .append(status(e.status(), ansi))
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
      case DUPLICATE ->
          b.append(" note=").append(e.error() == null ? "duplicate" : e.error().message());
      default -> {}
    }
    b.append("  worker=").append(e.workerId());
    return b.toString();
  }

  private static String status(JobStatus status, Ansi ansi) {
    String padded = String.format("%-9s", status);
    return switch (status) {
      case SUCCEEDED -> ansi.string("@|green " + padded + "|@");
      case FAILED -> ansi.string("@|red " + padded + "|@");
      default -> padded;
    };
  }
}
