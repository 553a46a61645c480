package io.imagefleet.cli;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.cli.ExitCode;
import io.imagefleet.worker.config.ConfigLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet watch}: follows status events, of every job or of one. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints status events as they arrive, one line each, without joining a consumer group.",
      "With --job: prints that job's whole history first, then waits for its end and exits by its"
          + " outcome (0 succeeded, 1 failed, 4 timed out; docs/cli.md). Without --job: every job's"
          + " events from now (or --from-beginning) until Ctrl-C or --timeout.",
      "Example: imagefleet watch --job 3f2c... --timeout 10m"
    })
final class WatchCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin OutputOptions output;

  @Option(
      names = {"-t", "--topic"},
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic.")
  String topic;

  @Option(
      names = {"-j", "--job"},
      paramLabel = "JOB_ID",
      description = "Follow this job: its history, then its events until it ends.")
  String jobId;

  @Option(
      names = "--from-beginning",
      description = "Without --job: start at the oldest retained event instead of now.")
  boolean fromBeginning;

  /** Kept so that scripts written for the earlier watch still run; --job now always stops there. */
  @Option(names = "--until-terminal", hidden = true)
  boolean untilTerminal;

  @Option(
      names = "--full",
      description =
          "Print each whole event under its line: every image, usage, costs, error details.")
  boolean full;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description = "Give up after this long (e.g. 10m); 0 waits for ever.")
  String timeout;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    if (untilTerminal && jobId == null) {
      throw new UserError("--until-terminal needs --job JOB_ID");
    }
    if (fromBeginning && jobId != null) {
      throw new UserError(
          "--from-beginning is for every job's events; --job always starts at the job's first"
              + " event");
    }
    Duration limit = ConfigLoader.parseDuration("--timeout", timeout);
    Properties client = kafka.connect();
    EventPrinter printer =
        new EventPrinter(
            output.format,
            full,
            Terminal.ansi(System.getenv(), System.console() != null),
            System.out);
    if (jobId != null) {
      try (JobFollower follower =
          new JobFollower(client, topic, jobId, kafka.bootstrapServers, System.err, clock)) {
        return follower.follow(null, 1, limit, printer).code();
      }
    }
    return watchAll(client, limit, printer).code();
  }

  private ExitCode watchAll(Properties client, Duration limit, EventPrinter printer) {
    Instant deadline = limit.isZero() ? Instant.MAX : clock.instant().plus(limit);
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = TopicPartitions.of(consumer, topic);
      consumer.assign(parts);
      if (fromBeginning) {
        consumer.seekToBeginning(parts);
      } else {
        consumer.seekToEnd(parts);
      }
      System.err.println(
          "watching "
              + topic
              + " at "
              + kafka.bootstrapServers
              + (fromBeginning ? " from its oldest event" : " from now")
              + (limit.isZero() ? " (Ctrl-C to stop)" : " for " + limit.toSeconds() + " s")
              + "...");
      while (clock.instant().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            printer.print(JobCodec.decodeEvent(record.value()));
          } catch (RuntimeException e) {
            System.err.println(
                "(unreadable event at "
                    + record.topic()
                    + "-"
                    + record.partition()
                    + "@"
                    + record.offset()
                    + ")");
          }
        }
      }
      return ExitCode.OK;
    }
  }
}
