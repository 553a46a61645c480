package io.imagefleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import picocli.CommandLine.Help.Ansi;

/**
 * Prints status events the way a command was asked to: one readable line each, that line followed
 * by the whole event ({@code --full}), or the event's own JSON on one line ({@code -o json}, the
 * fields of contracts/schemas/status-event).
 */
final class EventPrinter {
  private final OutputOptions.Format format;
  private final boolean full;
  private final Ansi ansi;
  private final PrintStream out;

  EventPrinter(OutputOptions.Format format, boolean full, Ansi ansi, PrintStream out) {
    this.format = format;
    this.full = full;
    this.ansi = ansi;
    this.out = out;
  }

  void print(StatusEvent event) {
    if (format == OutputOptions.Format.JSON) {
      out.println(OutputOptions.line(event));
      return;
    }
    out.println(EventLine.format(event, ansi));
    if (full) {
      try {
        Json.mapper()
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(event)
            .lines()
            .forEach(line -> out.println("    " + line));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException("cannot write event " + event.eventId(), e);
      }
    }
  }
}
