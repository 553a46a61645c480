package io.imagefleet.cli;

import io.imagefleet.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet status}: the fleet at a glance, from any machine that reaches the cluster. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the fleet at a glance, from any machine that reaches the cluster.",
      "The workers' consumer group, members and their partitions, lag,"
          + " jobs in flight, readiness and breaker states (from worker heartbeats, refreshed from"
          + " each worker's /status endpoint when reachable), and the most recent failed jobs from"
          + " the events topic. Joins no consumer group and changes nothing.",
      "Example: imagefleet status --kafka-config client.properties -o json"
    })
final class StatusCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin OutputOptions output;

  @Option(
      names = {"-g", "--group"},
      defaultValue = "imagefleet-workers",
      description = "The workers' consumer group (their kafka.group.id).")
  String group;

  @Option(
      names = "--jobs-topic",
      defaultValue = Topics.JOBS,
      description = "The workers' jobs topic (topics.jobs).")
  String jobsTopic;

  @Option(
      names = "--events-topic",
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic (topics.events), read for recent failures.")
  String eventsTopic;

  @Option(
      names = "--workers-topic",
      defaultValue = Topics.WORKERS,
      description = "Worker heartbeats (topics.workers).")
  String workersTopic;

  @Option(names = "--failures", defaultValue = "5", description = "Recent failed jobs to show.")
  int failures;

  @Option(
      names = "--scan",
      defaultValue = "500",
      description = "Events read from the end of each events partition to find failures.")
  int scan;

  @Option(
      names = "--no-endpoints",
      description = "Do not call the workers' /status endpoints; heartbeats only.")
  boolean noEndpoints;

  @Option(
      names = "--ops-token-file",
      paramLabel = "FILE",
      description =
          "File holding the workers' ops.token, sent to their /status endpoints; without it, the"
              + " environment variable IMAGEFLEET_OPS_TOKEN, if set.")
  Path opsTokenFile;

  @Override
  public Integer call() {
    if (failures < 0 || scan < 0) {
      throw new UserError("--failures and --scan must be >= 0");
    }
    FleetSnapshot snapshot =
        new FleetStatusReader(kafka.connect(), Clock.systemUTC(), opsToken())
            .read(
                new FleetStatusReader.Request(
                    group, jobsTopic, eventsTopic, workersTopic, failures, scan, !noEndpoints));
    if (output.json()) {
      System.out.println(OutputOptions.line(FleetSnapshotJson.of(snapshot)));
    } else {
      System.out.print(StatusTable.render(snapshot));
    }
    return 0;
  }

  /** From a file rather than an option, so that it never shows in the process list. */
  private String opsToken() {
    if (opsTokenFile == null) {
      return System.getenv("IMAGEFLEET_OPS_TOKEN");
    }
    try {
      return Files.readString(opsTokenFile).strip();
    } catch (IOException e) {
      throw new UserError("cannot read --ops-token-file " + opsTokenFile + ": " + e.getMessage());
    }
  }
}
