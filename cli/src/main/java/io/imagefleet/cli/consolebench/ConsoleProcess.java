package io.imagefleet.cli.consolebench;

import io.imagefleet.cli.Imagefleet;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code imagefleet console} in a JVM of its own, as an operator runs it: its heap holds the
 * console alone, not the broker or the pages. Its live heap is measured from outside with {@code
 * jcmd GC.class_histogram}, which runs a full collection first and sums what survives.
 */
final class ConsoleProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("(?m)^console: (http://\\S+/) ");
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  private final Process process;
  private final Path log;
  private URI url;

  private ConsoleProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts it and waits for its address.
   *
   * @param extraJvmOptions e.g. from {@code IMAGEFLEET_BENCH_CHILD_OPTS}, to profile it
   */
  static ConsoleProcess start(
      String bootstrapServers,
      int maxJobs,
      int heapMb,
      Path storage,
      Path log,
      List<String> extraJvmOptions,
      Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMb + "m");
    command.addAll(extraJvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Imagefleet.class.getName());
    command.addAll(
        List.of(
            "console",
            "-b",
            bootstrapServers,
            "--port",
            "0",
            "--jobs",
            Integer.toString(maxJobs),
            "--window",
            "0",
            "--storage-directory",
            storage.toString(),
            "--group",
            "imagefleet-bench-console"));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    ConsoleProcess console = new ConsoleProcess(p, log);
    Instant deadline = Instant.now().plus(timeout);
    while (console.url == null) {
      Matcher m = URL.matcher(console.log());
      if (m.find()) {
        console.url = URI.create(m.group(1));
      } else if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        console.close();
        throw new IllegalStateException("the console did not start; its log:\n" + console.log());
      } else {
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
    }
    return console;
  }

  URI url() {
    return url;
  }

  long pid() {
    return process.pid();
  }

  /** CPU time the console's JVM has used so far, from the OS. */
  Duration cpu() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Bytes live after a full collection. */
  long liveHeapBytes() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(60, TimeUnit.SECONDS);
    Matcher m = TOTAL.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("jcmd printed no heap total: " + out.lines().findFirst());
    }
    return Long.parseLong(m.group(1));
  }

  private String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** SIGTERM, as Ctrl-C; forcibly after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
