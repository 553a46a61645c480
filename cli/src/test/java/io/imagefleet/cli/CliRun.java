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
public final class CliRun {
  private CliRun() {}

  /** What a command printed, on each stream apart. */
  record Output(String out, String err) {}

  /** Runs a command that must succeed. */
  public static String run(String... args) {
    return expecting(0, args);
  }

  /** Runs a command that must exit with {@code code}; stdout and stderr together. */
  static String expecting(int code, String... args) {
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    execute(code, both, both, args);
    return both.toString(StandardCharsets.UTF_8);
  }

  /** Runs a command that must exit with {@code code}; stdout and stderr apart. */
  static Output split(int code, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    execute(code, out, err, args);
    return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void execute(
      int code, ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream captureOut = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream captureErr =
        out == err ? captureOut : new PrintStream(err, true, StandardCharsets.UTF_8);
    System.setOut(captureOut);
    System.setErr(captureErr);
    try {
      var cli = Imagefleet.commandLine();
      cli.setOut(new PrintWriter(captureOut, true));
      cli.setErr(new PrintWriter(captureErr, true));
      assertThat(cli.execute(args))
          .as(
              "exit code of %s: %s%s",
              String.join(" ", args),
              out.toString(StandardCharsets.UTF_8),
              out == err ? "" : err.toString(StandardCharsets.UTF_8))
          .isEqualTo(code);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
