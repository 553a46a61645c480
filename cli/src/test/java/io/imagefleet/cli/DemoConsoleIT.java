package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagefleet demo --console} in its own JVM, as a person runs it: the batch ends, the
 * console's address is printed and answers with the batch's jobs, and SIGTERM (what Ctrl-C sends
 * the whole group) stops the workers and the JVM within seconds.
 */
class DemoConsoleIT {
  private static final Pattern URL = Pattern.compile("\nconsole: (http://127\\.0\\.0\\.1:\\d+/) ");

  @TempDir Path dir;

  @Test
  void servesTheBatchOnTheConsoleUntilStopped() throws Exception {
    Path log = dir.resolve("demo.log");
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.imagefleet.cli.Imagefleet",
                "demo",
                "--jobs",
                "3",
                "--workers",
                "1",
                "--task-seconds",
                "0..1",
                "--data-dir",
                dir.resolve("data").toString(),
                "--console",
                "--console-port",
                "0")
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(150))
          .until(() -> !demo.isAlive() || URL.matcher(read(log)).find());
      Matcher m = URL.matcher(read(log));
      assertThat(m.find()).as("the demo prints the console's address: %s", read(log)).isTrue();
      assertThat(read(log)).contains("Every job reached a terminal status.");
      String url = m.group(1);
      List<ProcessHandle> workers = demo.descendants().toList();
      assertThat(workers).as("the worker keeps running").isNotEmpty();

      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, url)).contains("<title>");
      // Three valid jobs and four failing ones: every one of the batch, already ended.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          Pattern.compile("\"job_id\":\"demo-")
                              .matcher(get(http, url + "api/jobs"))
                              .results()
                              .count())
                      .isEqualTo(7));
      assertThat(get(http, url + "api/jobs?status=succeeded")).contains("\"images\":[{");

      demo.destroy(); // SIGTERM
      assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo stops").isTrue();
      assertThat(read(log)).contains("[5/5] stopping the workers (SIGTERM)...");
      assertThat(workers).noneMatch(ProcessHandle::isAlive);
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
    return r.body();
  }

  private static String read(Path log) throws Exception {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
