package io.imagefleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imagefleet.contracts.Json;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * {@code -o text|json}: tables and lines for people, or one JSON object per line for scripts (the
 * fields of each command are listed in docs/cli.md). In JSON mode, standard output carries nothing
 * but the objects; notes go to standard error.
 */
final class OutputOptions {
  /** How a command prints its results. */
  enum Format {
    TEXT,
    JSON
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = FormatConverter.class,
      description =
          "text, for people, or json: one JSON object per line, for scripts (fields: docs/cli.md).")
  Format format = Format.TEXT;

  boolean json() {
    return format == Format.JSON;
  }

  /** One object as one line of JSON, with the same mapper (snake_case records) as the messages. */
  static String line(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** Accepts text and json in any case. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "text" -> Format.TEXT;
        case "json" -> Format.JSON;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "expected text or json, but was '" + value + "'");
      };
    }
  }
}
