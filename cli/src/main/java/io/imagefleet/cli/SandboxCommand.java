package io.imagefleet.cli;

import io.imagefleet.contracts.Topics;
import io.imagefleet.sandbox.SandboxMain;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code imagefleet sandbox}: the embedded broker and/or the upstream simulator as a process, for a
 * first local fleet. Its options are {@link SandboxMain}'s; with both parts it also creates the
 * fleet's topics (as {@code imagefleet topics} does, with the demo's partitions), so that a worker
 * from the worker.properties it writes starts at once.
 */
@Command(
    name = "sandbox",
    description = {
      "Runs the embedded Kafka broker and/or the upstream simulator until SIGTERM (Ctrl-C); with"
          + " both, creates the topics and writes a ready worker.properties.",
      "Options: see 'imagefleet sandbox --help'."
    })
final class SandboxCommand implements Runnable {
  private static final int PARTITIONS = 6;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public void run() {
    System.exit(
        SandboxMain.run(
            args.toArray(String[]::new), System.in, System.out, SandboxCommand::topics));
  }

  private static void topics(String bootstrapServers) {
    Properties client = new Properties();
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    TopicSetup.ensure(
        client,
        new TopicSetup.Layout(
            Topics.JOBS, Topics.JOB_EVENTS, Topics.DEAD_LETTERS, PARTITIONS, (short) 1));
  }
}
