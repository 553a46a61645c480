package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Try it locally" section, followed as written: its fenced blocks are read from the
 * README and run in a fresh directory, each {@code bin/imagefleet} replaced by the JVM running the
 * same main class (the launcher would rebuild the project mid-build), everything after it word for
 * word. The first two blocks run until stopped (the sandbox, a worker), the third in order, each
 * command to a zero exit; it ends with the job's images on disk.
 *
 * <p>The sandbox binds its documented ports (9092, 8089): the README's commands rely on them.
 */
class LocalQuickStartIT {
  private static final Path README = Path.of("..", "README.md");
  private static final String SECTION = "### Try it locally";
  private static final Pattern FENCE = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern WORD = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)");

  @TempDir Path workDir;

  @Test
  void theReadmesLocalSectionEndsWithTheJobsImagesOnDisk() throws Exception {
    List<List<List<String>>> blocks = blocks();
    assertThat(blocks).hasSize(3);
    List<Process> running = new ArrayList<>();
    try {
      Process sandbox = start(single(blocks.get(0)), "sandbox.log");
      running.add(sandbox);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> !sandbox.isAlive() || log("sandbox.log").contains("ready."));
      assertThat(sandbox.isAlive()).as("the sandbox runs: %s", log("sandbox.log")).isTrue();
      running.add(start(single(blocks.get(1)), "worker.log"));

      for (List<String> command : blocks.get(2)) {
        Process p = start(command, "step.log");
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
        assertThat(p.exitValue())
            .as("exit of %s: %s\nworker: %s", command, log("step.log"), log("worker.log"))
            .isZero();
      }
      assertThat(log("step.log")).as("the last command, ls, lists the images").contains(".png");
      try (Stream<Path> files = Files.walk(workDir.resolve("data/sandbox/images"))) {
        assertThat(files.filter(f -> f.toString().endsWith(".png")))
            .isNotEmpty()
            .allMatch(f -> f.toString().contains("hello-1"));
      }
    } finally {
      for (Process p : running) {
        p.destroy(); // SIGTERM, as Ctrl-C
      }
      for (Process p : running) {
        p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
    }
  }

  /** Each fenced bash block of the section: its commands, each as words. */
  private static List<List<List<String>>> blocks() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf(SECTION);
    assertThat(start).as("README has a section %s", SECTION).isNotNegative();
    int end = readme.indexOf("\n#", start + SECTION.length());
    Matcher m = FENCE.matcher(readme.substring(start, end < 0 ? readme.length() : end));
    List<List<List<String>>> blocks = new ArrayList<>();
    while (m.find()) {
      List<List<String>> commands = new ArrayList<>();
      m.group(1)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(LocalQuickStartIT::words)
          .forEach(commands::add);
      blocks.add(commands);
    }
    return blocks;
  }

  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return words;
  }

  private static List<String> single(List<List<String>> block) {
    assertThat(block).hasSize(1);
    return block.get(0);
  }

  private Process start(List<String> command, String logName) throws IOException {
    List<String> run = new ArrayList<>();
    if (command.get(0).equals("bin/imagefleet")) {
      run.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      run.add("-cp");
      run.add(System.getProperty("java.class.path"));
      run.add(
          command.get(1).equals("worker")
              ? "io.imagefleet.worker.cli.WorkerCommand"
              : "io.imagefleet.cli.Imagefleet");
      run.addAll(
          command.get(1).equals("worker")
              ? command.subList(2, command.size())
              : command.subList(1, command.size()));
    } else {
      run.addAll(command);
    }
    return new ProcessBuilder(run)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve(logName).toFile())
        .start();
  }

  private String log(String name) throws IOException {
    Path file = workDir.resolve(name);
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
