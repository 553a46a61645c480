package io.imagefleet.cli;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.config.ConfigException;
import io.imagefleet.worker.config.ConfigLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet costs}: spend per tenant and route, read from the events topic, the record
 * every worker writes and every team can read. Reads up to the end offsets seen at start, then
 * exits.
 */
@Command(
    name = "costs",
    mixinStandardHelpOptions = true,
    description = {
      "Prints spend per tenant and route from the events topic (terminal events, each job attempt"
          + " once).",
      "Example: imagefleet costs --tenant catalog --since 24h"
    })
final class CostsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin OutputOptions output;

  @Option(
      names = {"-t", "--topic"},
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic.")
  String topic;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant.")
  String tenant;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only jobs that ended at or after TIME: an ISO instant (2026-11-24T09:00:00Z), a UTC date"
              + " (2026-11-24), or a duration back from now (24h, 7d, 30m). Default: everything retained.")
  String since;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    Instant from = since == null ? null : parseSince(since, clock.instant());
    SpendReport report = new SpendReport(tenant, from);
    Properties p = kafka.connect();
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int unreadable = 0;
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = TopicPartitions.of(consumer, topic);
      consumer.assign(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(30));
      seek(consumer, parts, from);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            report.add(JobCodec.decodeEvent(record.value()));
          } catch (RuntimeException e) {
            unreadable++;
          }
        }
      }
    }
    if (output.json()) {
      report.rows().forEach(row -> System.out.println(OutputOptions.line(row)));
    } else {
      System.out.print(report.render());
    }
    if (unreadable > 0) {
      (output.json() ? System.err : System.out)
          .println(unreadable + " unreadable record(s) skipped");
    }
    return 0;
  }

  /**
   * Skips what is older than {@code from}, by record timestamp; events are then filtered by their
   * own time.
   */
  private static void seek(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts, Instant from) {
    if (from == null) {
      consumer.seekToBeginning(parts);
      return;
    }
    Map<TopicPartition, Long> at = new HashMap<>();
    // A minute of slack: a record's timestamp is its producer's clock, the event's time the
    // worker's.
    parts.forEach(tp -> at.put(tp, from.minusSeconds(60).toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(at, Duration.ofSeconds(30));
    Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(30));
    parts.forEach(
        tp -> consumer.seek(tp, found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
  }

  static Instant parseSince(String text, Instant now) {
    String t = text.trim();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // not an instant
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      // not a date
    }
    try {
      return now.minus(ConfigLoader.parseDuration("--since", t));
    } catch (ConfigException e) {
      throw new UserError(
          "--since must be an ISO instant (2026-11-24T09:00:00Z), a date (2026-11-24) or a"
              + " duration (24h, 7d), but was '"
              + text
              + "'");
    }
  }
}
