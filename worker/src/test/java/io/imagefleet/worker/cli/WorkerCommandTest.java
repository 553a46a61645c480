package io.imagefleet.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkerCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    WorkerCommand command = new WorkerCommand();
    command.env = env;
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static Path config(Path dir, String text) throws Exception {
    Path file = dir.resolve("worker.properties");
    Files.writeString(
        file,
        "kafka.bootstrap.servers=localhost:9092\n"
            + "upstream.base-url=http://localhost:8089\n"
            + "upstream.api-key=sk-sim-do-not-print\n"
            + text);
    return file;
  }

  @Test
  void printsTheEffectiveConfigurationAsSortedKeyValueLinesWithSecretsRedacted(@TempDir Path dir)
      throws Exception {
    Path file = config(dir, "callbacks.secret.catalog=whsec-not-printed-either\nworker.id=w-1\n");
    int exit =
        run(
            Map.of("IMAGEFLEET_OPS_TOKEN", "ops-token-not-printed", "IMAGEFLEET_OPS_PORT", "0"),
            "--config",
            file.toString(),
            "--print-config");
    assertThat(exit).isZero();
    var lines = out.toString().lines().toList();
    assertThat(lines).allMatch(l -> l.matches("[a-z0-9][a-z0-9.-]*=.*"), "key=value");
    assertThat(lines.stream().map(l -> l.substring(0, l.indexOf('='))).toList()).isSorted();
    assertThat(lines)
        .contains(
            "worker.id=w-1",
            "kafka.bootstrap.servers=localhost:9092",
            "intake.max-in-flight=512",
            "ops.port=0",
            "upstream.api-key=[redacted]",
            "ops.token=[redacted]",
            "callbacks.secret.catalog=[redacted]",
            "cost.output-tokens.low.1024x1024=272");
    assertThat(out.toString())
        .doesNotContain("do-not-print")
        .doesNotContain("not-printed")
        .as("no record dumps")
        .doesNotContain("Settings[");
  }

  @Test
  void anUnknownKeyExitsNonZeroNamingTheKeyAndTheOneMeant(@TempDir Path dir) throws Exception {
    Path file = config(dir, "intake.max-inflight=64\n");
    assertThat(run(Map.of(), "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "error: intake.max-inflight is not a configuration key: did you mean"
                + " intake.max-in-flight? (every key: docs/configuration.md)");
  }
}
