package io.imagefleet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxMainTest {
  @TempDir Path dataDir;

  /**
   * Run as a person or a script runs it: no stdin (nohup, CI, {@code &}), stopped by SIGTERM. It
   * keeps running after stdin ends, writes a worker configuration for itself and says what is next.
   */
  @Test
  void runsUntilSigtermWithoutStdinAndWritesAReadyWorkerConfig() throws Exception {
    Path log = dataDir.resolve("sandbox-out.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.imagefleet.sandbox.SandboxMain",
                "--broker-port",
                "0",
                "--simulator-port",
                "0",
                "--data-dir",
                dataDir.resolve("sandbox").toString())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(log.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("ready."));
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(p::isAlive);
      String printed = Files.readString(log);
      assertThat(printed)
          .contains(
              "worker-config=" + dataDir.resolve("sandbox/worker.properties"),
              "bin/imagefleet worker --config " + dataDir.resolve("sandbox/worker.properties"));
      Properties worker = new Properties();
      try (var in = Files.newBufferedReader(dataDir.resolve("sandbox/worker.properties"))) {
        worker.load(in);
      }
      assertThat(worker.getProperty("kafka.bootstrap.servers")).matches("127\\.0\\.0\\.1:\\d+");
      assertThat(printed).contains("bootstrap=" + worker.getProperty("kafka.bootstrap.servers"));
      assertThat(worker.getProperty("upstream.base-url")).startsWith("http://127.0.0.1:");
      assertThat(worker.getProperty("upstream.api-key")).isNotBlank();
      assertThat(worker.getProperty("storage.directory"))
          .isEqualTo(dataDir.resolve("sandbox/images").toString());
      assertThat(worker.getProperty("ops.port")).isEqualTo("0");
    } finally {
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusesADataDirectoryItDidNotMake() throws Exception {
    Files.writeString(dataDir.resolve("notes.txt"), "mine");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(
              SandboxMain.run(
                  new String[] {"--simulator", "--data-dir", dataDir.toString()},
                  new ByteArrayInputStream(new byte[0]),
                  System.out,
                  bootstrap -> {}))
          .isEqualTo(2);
    } finally {
      System.setErr(originalErr);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing was deleted");
    assertThat(dataDir.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void helpDescribesTheOptions() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        SandboxMain.run(
            new String[] {"--help"},
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            bootstrap -> {});
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("Usage: imagefleet sandbox ")
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
  void printsTheSimulatorAddressAndStopsAtEndOfStdinWhenAsked() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        SandboxMain.run(
            new String[] {
              "--simulator",
              "--simulator-port",
              "0",
              "--data-dir",
              dataDir.toString(),
              "--stop-at-end-of-stdin",
              "--api-key",
              "sk-test",
              "--task-duration",
              "1s"
            },
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            bootstrap -> {});
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
                      "--simulator",
                      "--simulator-port",
                      "0",
                      "--data-dir",
                      dataDir.toString(),
                      "--stop-at-end-of-stdin",
                      "--creates-per-second",
                      "20",
                      "--queries-per-second",
                      "60"
                    },
                    stdin,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    bootstrap -> {}));
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
                  new String[] {"--bogus"},
                  new ByteArrayInputStream(new byte[0]),
                  System.out,
                  bootstrap -> {}))
          .isEqualTo(2);
    } finally {
      System.setErr(originalErr);
    }
  }
}
