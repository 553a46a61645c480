package io.imagefleet.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs {@code imagefleet bench} in the test's JVM and keeps what it printed (also echoed, so a
 * failing test's log shows the run).
 *
 * @param exit the command's exit code
 * @param printed its standard output
 */
record BenchConsole(int exit, String printed) {

  static BenchConsole run(String... args) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new BenchCommand()).execute(args);
    } finally {
      System.setOut(original);
    }
    String printed = console.toString(StandardCharsets.UTF_8);
    original.print(printed);
    return new BenchConsole(exit, printed);
  }
}
