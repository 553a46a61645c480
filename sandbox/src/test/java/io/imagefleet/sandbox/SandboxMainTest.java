package io.imagefleet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SandboxMainTest {

  @Test
  void helpDescribesTheOptions() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        SandboxMain.run(
            new String[] {"--help"},
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--broker", "--simulator", "--simulator-port", "--api-key", "--data-dir");
  }

  @Test
  void printsTheSimulatorAddressAndStopsAtEndOfStdin() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        SandboxMain.run(
            new String[] {"--simulator", "--api-key", "sk-test", "--task-duration", "1s"},
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .anyMatch(line -> line.matches("upstream=http://127\\.0\\.0\\.1:\\d+"))
        .contains("api-key=sk-test")
        .noneMatch(line -> line.startsWith("bootstrap="));
  }

  @Test
  void rejectsUnknownOptions() {
    PrintStream originalErr = System.err;
    try {
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThat(
              SandboxMain.run(
                  new String[] {"--bogus"}, new ByteArrayInputStream(new byte[0]), System.out))
          .isEqualTo(2);
    } finally {
      System.setErr(originalErr);
    }
  }
}
