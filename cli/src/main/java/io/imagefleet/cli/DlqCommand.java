package io.imagefleet.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.cli.redrive.DeadLetterRedrive;
import io.imagefleet.cli.redrive.NotRedrivableException;
import io.imagefleet.cli.redrive.RedriveProgress;
import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet dlq list|redrive}: inspect dead letters and republish them after a fix. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "Inspects the dead-letter topic and republishes dead letters after a fix.",
    subcommands = {DlqCommand.List.class, DlqCommand.Redrive.class})
final class DlqCommand {

  /** Which dead letters a command acts on. */
  static final class Filter {
    @Option(
        names = "--reason-contains",
        paramLabel = "TEXT",
        description = "Only dead letters whose reason contains TEXT.")
    String reasonContains;

    @Option(
        names = "--key",
        paramLabel = "KEY",
        description = "Only dead letters with this record key (the job id).")
    String key;

    boolean matches(ConsumerRecord<byte[], byte[]> r) {
      return (reasonContains == null
              || header(r, DeadLetterHeaders.REASON).contains(reasonContains))
          && (key == null || key.equals(text(r.key())));
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Prints dead letters, oldest first.")
  static final class List implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin Filter filter;
    @Mixin OutputOptions output;

    @Option(
        names = {"-t", "--topic"},
        defaultValue = Topics.DEAD_LETTERS,
        description = "Dead-letter topic.")
    String topic;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many.")
    int limit;

    @Override
    public Integer call() {
      int shown = 0;
      for (ConsumerRecord<byte[], byte[]> r : readAll(kafka.connect(), topic)) {
        if (!filter.matches(r)) {
          continue;
        }
        if (shown++ >= limit) {
          break;
        }
        if (output.json()) {
          System.out.println(OutputOptions.line(DeadLetter.of(r)));
          continue;
        }
        System.out.printf(
            "%s-%d@%d  key=%s  from=%s-%s@%s  worker=%s  at=%s%n  reason: %s%n  value:  %s%n",
            r.topic(),
            r.partition(),
            r.offset(),
            text(r.key()),
            header(r, DeadLetterHeaders.ORIGINAL_TOPIC),
            header(r, DeadLetterHeaders.ORIGINAL_PARTITION),
            header(r, DeadLetterHeaders.ORIGINAL_OFFSET),
            header(r, DeadLetterHeaders.WORKER),
            header(r, DeadLetterHeaders.FAILED_AT),
            header(r, DeadLetterHeaders.REASON),
            preview(r.value()));
      }
      (output.json() ? System.err : System.out)
          .println(
              shown + " dead letter(s)" + (shown > limit ? " (first " + limit + " shown)" : ""));
      return 0;
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description = {
        "Republishes dead letters to where they came from, once each.",
        "Republishes matching dead letters to their original topic (key, value and original"
            + " headers unchanged), once each: progress is kept in the consumer group --group,"
            + " which the console's redrive button shares, and the letters are republished and"
            + " marked in one transaction."
            + " Prints the plan first; --dry-run stops there."
      })
  static final class Redrive implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin Filter filter;

    @Option(
        names = {"-t", "--topic"},
        defaultValue = Topics.DEAD_LETTERS,
        description = "Dead-letter topic.")
    String topic;

    @Option(
        names = "--to",
        paramLabel = "TOPIC",
        description = "Republish here instead of the original topic.")
    String to;

    @Option(
        names = "--group",
        defaultValue = "imagefleet-dlq-redrive",
        description = "Consumer group that remembers what was redriven.")
    String group;

    @Option(names = "--dry-run", description = "Only print what would be republished.")
    boolean dryRun;

    @Override
    public Integer call() {
      Properties client = kafka.connect();
      Properties p = new Properties();
      p.putAll(client);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      // Waits for a console's redrive still being decided when reading the group's progress.
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      java.util.List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
      Map<TopicPartition, Long> passed = new HashMap<>();
      try (var consumer =
              new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
          var producer = dryRun ? null : DeadLetterRedrive.producer(client, group)) {
        if (producer != null) {
          // Fences a console redriving a letter of this group now: see DeadLetterRedrive.
          producer.initTransactions();
        }
        consumer.subscribe(java.util.List.of(topic));
        Map<TopicPartition, RedriveProgress> progress = new HashMap<>();
        int idle = 0;
        while (idle < 3) {
          var batch = consumer.poll(Duration.ofSeconds(1));
          idle = batch.isEmpty() ? idle + 1 : 0;
          for (ConsumerRecord<byte[], byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            passed.put(tp, r.offset() + 1);
            RedriveProgress known =
                progress.computeIfAbsent(
                    tp, t -> RedriveProgress.of(consumer.committed(Set.of(t)).get(t)));
            // A letter redriven singly from the console is not republished again.
            if (!known.covers(r.offset()) && filter.matches(r)) {
              pending.add(r);
            }
          }
        }
        for (ConsumerRecord<byte[], byte[]> r : pending) {
          System.out.printf(
              "%s %s-%d@%d key=%s -> %s (%s)%n",
              dryRun ? "would redrive" : "redrive",
              r.topic(),
              r.partition(),
              r.offset(),
              text(r.key()),
              target(r),
              header(r, DeadLetterHeaders.REASON));
        }
        if (dryRun || pending.isEmpty()) {
          System.out.println(
              pending.size() + " dead letter(s) " + (dryRun ? "would be redriven" : "to redrive"));
          return 0;
        }
        java.util.List<ConsumerRecord<byte[], byte[]>> whole = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> letter : pending) {
          try {
            whole.add(DeadLetterRedrive.whole(client, letter));
          } catch (NotRedrivableException e) {
            throw new UserError(
                e.getMessage() + " (use --key or --reason-contains to leave it out)");
          }
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        passed.forEach((tp, next) -> commit.put(tp, progress.get(tp).passedTo(next).toCommit()));
        try {
          producer.beginTransaction();
          for (ConsumerRecord<byte[], byte[]> r : whole) {
            producer.send(DeadLetterRedrive.republished(r, target(r)));
          }
          producer.sendOffsetsToTransaction(commit, consumer.groupMetadata());
          producer.commitTransaction();
        } catch (KafkaException e) {
          throw new UserError(
              "republishing failed, nothing was republished or marked as redriven: "
                  + e.getMessage());
        }
      }
      System.out.println(pending.size() + " dead letter(s) redriven");
      return 0;
    }

    private String target(ConsumerRecord<byte[], byte[]> r) {
      return to != null ? to : header(r, DeadLetterHeaders.ORIGINAL_TOPIC);
    }
  }

  /** One dead letter as {@code dlq list -o json} prints it (fields: docs/cli.md). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record DeadLetter(
      String topic,
      int partition,
      long offset,
      String key,
      String originalTopic,
      String originalPartition,
      String originalOffset,
      String worker,
      String failedAt,
      String reason,
      boolean truncated,
      String value) {
    static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
      return new DeadLetter(
          r.topic(),
          r.partition(),
          r.offset(),
          r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
          header(r, DeadLetterHeaders.ORIGINAL_TOPIC),
          header(r, DeadLetterHeaders.ORIGINAL_PARTITION),
          header(r, DeadLetterHeaders.ORIGINAL_OFFSET),
          header(r, DeadLetterHeaders.WORKER),
          header(r, DeadLetterHeaders.FAILED_AT),
          header(r, DeadLetterHeaders.REASON),
          r.headers().lastHeader(DeadLetterHeaders.TRUNCATED) != null,
          r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
    }
  }

  /** Reads a whole topic from the beginning without a consumer group. */
  static java.util.List<ConsumerRecord<byte[], byte[]>> readAll(Properties client, String topic) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    java.util.List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions = TopicPartitions.of(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return DeadLetterRedrive.header(r, name);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "(none)" : new String(bytes, StandardCharsets.UTF_8);
  }

  private static String preview(byte[] value) {
    String s = text(value).replaceAll("\\s+", " ");
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
