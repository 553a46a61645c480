package io.imagefleet.cli;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.config.ConfigLoader;
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
      "Prints status events as they arrive, one line each. Joins no consumer group.",
      "Example: imagefleet watch --job 3f2c... --from-beginning --until-terminal"
    })
final class WatchCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = {"-t", "--topic"},
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic (default ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = {"-j", "--job"},
      paramLabel = "JOB_ID",
      description = "Only this job's events.")
  String jobId;

  @Option(
      names = "--from-beginning",
      description = "Start at the oldest retained event instead of now.")
  boolean fromBeginning;

  @Option(
      names = "--until-terminal",
      description = "With --job: exit once the job reaches SUCCEEDED or FAILED.")
  boolean untilTerminal;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Give up after this long (e.g. 10m); 0 = never.",
      defaultValue = "0s")
  String timeout;

  @Override
  public Integer call() {
    if (untilTerminal && jobId == null) {
      throw new UserError("--until-terminal needs --job JOB_ID");
    }
    Duration limit = ConfigLoader.parseDuration("--timeout", timeout);
    Instant deadline = limit.isZero() ? Instant.MAX : Instant.now().plus(limit);
    Properties p = kafka.clientProperties();
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
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          StatusEvent event;
          try {
            event = JobCodec.decodeEvent(record.value());
          } catch (RuntimeException e) {
            System.out.println(
                "(unreadable event at "
                    + record.topic()
                    + "-"
                    + record.partition()
                    + "@"
                    + record.offset()
                    + ")");
            continue;
          }
          if (jobId != null && !jobId.equals(event.jobId())) {
            continue;
          }
          System.out.println(EventLine.format(event));
          if (untilTerminal && event.isTerminal()) {
            return event.status() == JobStatus.SUCCEEDED ? 0 : 1;
          }
        }
      }
      return untilTerminal ? 4 : 0;
    }
  }
}
