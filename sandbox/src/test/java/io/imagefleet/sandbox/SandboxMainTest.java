package io.imagefleet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        .contains(
            "--broker",
            "--simulator",
            "--simulator-port",
            "--api-key",
            "--data-dir",
            "--creates-per-second",
            "--queries-per-second");
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
  void setsTheRateLimitsFromTheCommandLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PipedOutputStream stdinWriter = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(stdinWriter);
    CompletableFuture<Integer> running =
        CompletableFuture.supplyAsync(
            () ->
                SandboxMain.run(
                    new String[] {
                      "--simulator", "--creates-per-second", "20", "--queries-per-second", "60"
                    },
                    stdin,
                    new PrintStream(out, true, StandardCharsets.UTF_8)));
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> out.toString(StandardCharsets.UTF_8).contains("api-key="));
      String upstream =
          out.toString(StandardCharsets.UTF_8)
              .lines()
              .filter(line -> line.startsWith("upstream="))
              .findFirst()
              .orElseThrow()
              .substring("upstream=".length());
      HttpResponse<String> knobs =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(upstream + "/admin/faults")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode json = new ObjectMapper().readTree(knobs.body());
      assertThat(json.get("createsPerSecond").asDouble()).isEqualTo(20);
      assertThat(json.get("queriesPerSecond").asDouble()).isEqualTo(60);
    } finally {
      stdinWriter.close();
    }
    assertThat(running.get(20, TimeUnit.SECONDS)).isZero();
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
