package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code bin/imagefleet} commands in the test JVM and returns what they printed (stdout and
 * stderr).
 */
final class CliRun {
  private CliRun() {}

  /** Runs a command that must succeed. */
  static String run(String... args) {
    return expecting(0, args);
  }

  /** Runs a command that must exit with {@code code}. */
  static String expecting(int code, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      var cli = Imagefleet.commandLine();
      cli.setOut(new PrintWriter(capture, true));
      cli.setErr(new PrintWriter(capture, true));
      assertThat(cli.execute(args))
          .as("exit code of %s: %s", String.join(" ", args), buffer)
          .isEqualTo(code);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
