package io.imagefleet.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
            + " headers unchanged), once each: progress is kept in the consumer group --group."
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
    public Integer call() throws InterruptedException {
      Properties p = kafka.connect();
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      java.util.List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
      Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
      try (var consumer =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(java.util.List.of(topic));
        int idle = 0;
        while (idle < 3) {
          var batch = consumer.poll(Duration.ofSeconds(1));
          idle = batch.isEmpty() ? idle + 1 : 0;
          for (ConsumerRecord<byte[], byte[]> r : batch) {
            progress.put(
                new TopicPartition(r.topic(), r.partition()),
                new OffsetAndMetadata(r.offset() + 1));
            if (filter.matches(r)) {
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
        publish(kafka.connect(), withOriginals(kafka.connect(), pending));
        consumer.commitSync(progress);
      }
      System.out.println(pending.size() + " dead letter(s) redriven");
      return 0;
    }

    /**
     * A truncated letter keeps only an excerpt: what is republished is the original record, read
     * back from where it came from. Nothing is republished when one of them is no longer there.
     */
    private static java.util.List<ConsumerRecord<byte[], byte[]>> withOriginals(
        Properties client, java.util.List<ConsumerRecord<byte[], byte[]>> letters) {
      java.util.List<ConsumerRecord<byte[], byte[]>> whole = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> letter : letters) {
        if (letter.headers().lastHeader(DeadLetterHeaders.TRUNCATED) == null) {
          whole.add(letter);
          continue;
        }
        TopicPartition from =
            new TopicPartition(
                header(letter, DeadLetterHeaders.ORIGINAL_TOPIC),
                Integer.parseInt(header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)));
        long offset = Long.parseLong(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET));
        ConsumerRecord<byte[], byte[]> original = readOne(client, from, offset);
        // The original's key, value and headers, with the letter's own (why, where from).
        RecordHeaders headers = new RecordHeaders(original.headers().toArray());
        for (Header h : letter.headers()) {
          if (h.key().startsWith("imagefleet.dlq.")) {
            headers.add(h);
          }
        }
        whole.add(
            new ConsumerRecord<>(
                letter.topic(),
                letter.partition(),
                letter.offset(),
                letter.timestamp(),
                letter.timestampType(),
                original.serializedKeySize(),
                original.serializedValueSize(),
                original.key(),
                original.value(),
                headers,
                Optional.empty()));
      }
      return whole;
    }

    private static ConsumerRecord<byte[], byte[]> readOne(
        Properties client, TopicPartition from, long offset) {
      Properties p = new Properties();
      p.putAll(client);
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      try (var consumer =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.assign(java.util.List.of(from));
        long first = consumer.beginningOffsets(java.util.List.of(from)).get(from);
        if (offset < first) {
          throw new UserError(
              "the record behind a truncated dead letter, "
                  + from
                  + "@"
                  + offset
                  + ", is past its topic's retention; nothing was redriven (use --key or --reason-contains to leave it out)");
        }
        consumer.seek(from, offset);
        for (int polls = 0; polls < 30; polls++) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
            if (r.offset() == offset) {
              return r;
            }
          }
        }
      }
      throw new UserError(
          "could not read " + from + "@" + offset + ", the record behind a truncated dead letter");
    }

    private String target(ConsumerRecord<byte[], byte[]> r) {
      return to != null ? to : header(r, DeadLetterHeaders.ORIGINAL_TOPIC);
    }

    private void publish(Properties client, java.util.List<ConsumerRecord<byte[], byte[]>> records)
        throws InterruptedException {
      Properties p = new Properties();
      p.putAll(client);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      try (var producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
          RecordHeaders headers = new RecordHeaders();
          for (Header h : r.headers()) {
            if (!h.key().startsWith("imagefleet.dlq.")) {
              headers.add(h);
            }
          }
          headers.add(
              "imagefleet.redriven-from",
              (r.topic() + "-" + r.partition() + "@" + r.offset())
                  .getBytes(StandardCharsets.UTF_8));
          producer.send(new ProducerRecord<>(target(r), null, r.key(), r.value(), headers)).get();
        }
      } catch (ExecutionException e) {
        throw new UserError(
            "republishing failed, nothing was marked as redriven: " + e.getCause().getMessage());
      }
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
    Header h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "(none)" : new String(bytes, StandardCharsets.UTF_8);
  }

  private static String preview(byte[] value) {
    String s = text(value).replaceAll("\\s+", " ");
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
