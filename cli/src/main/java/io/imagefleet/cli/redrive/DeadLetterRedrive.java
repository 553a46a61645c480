package io.imagefleet.cli.redrive;

import io.imagefleet.cli.DurableProducer;
import io.imagefleet.contracts.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The rules of redriving a dead letter, shared by {@code imagefleet dlq redrive} and the console:
 * what is republished (the original record, read back when the letter is truncated, without the
 * letter's own headers), where (the original topic), and how "never twice" is kept.
 *
 * <p>Never twice: progress lives in one consumer group ({@link RedriveProgress}), and every redrive
 * of that group republishes and records its progress in one Kafka transaction under one
 * transactional id. A second redrive of the same group, from the CLI or from any console, fences
 * the first when it starts, so the two can never both republish a letter: the first one's
 * transaction fails and republishes nothing. A redrive that fails midway republishes nothing and
 * records nothing.
 *
 * <p>Safe on any thread; each redrive uses its own clients.
 */
public final class DeadLetterRedrive {
  /** Where a letter was republished from, on the republished record. */
  public static final String REDRIVEN_FROM = "imagefleet.redriven-from";

  private static final String LETTER_HEADERS = "imagefleet.dlq.";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final Properties client;
  private final String group;

  /**
   * @param client the Kafka client settings
   * @param group the consumer group that remembers what was redriven
   */
  public DeadLetterRedrive(Properties client, String group) {
    this.client = new Properties();
    this.client.putAll(client);
    this.group = group;
  }

  /** How a single redrive went. */
  public enum Result {
    /** Republished now, and recorded as redriven. */
    REDRIVEN,
    /** Redriven before (from the CLI or a console), or passed over by a CLI run: nothing done. */
    ALREADY_REDRIVEN,
    /** The letter or the record behind it is gone, or cannot be read: nothing done. */
    NOT_REDRIVABLE,
    /** Kafka refused (another redrive running, a broker down): nothing republished. */
    FAILED
  }

  /**
   * @param result what happened
   * @param target the topic republished to, when known
   * @param message a sentence for the operator
   */
  public record Outcome(Result result, String target, String message) {}

  /**
   * The producer of every redrive of {@code group}, from the CLI or a console: one transactional id
   * for all, so that each fences the one before it.
   */
  public static KafkaProducer<byte[], byte[]> producer(Properties client, String group) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "imagefleet-dlq-redrive." + group);
    return DurableProducer.open(p);
  }

  /**
   * Redrives one letter to its original topic, unless the group remembers it as redriven. Blocks
   * for a few round trips.
   */
  public Outcome redriveOne(String deadLetterTopic, int partition, long offset) {
    TopicPartition at = new TopicPartition(deadLetterTopic, partition);
    String where = at + "@" + offset;
    try (var producer = producer(client, group)) {
      // Fences any other redrive of this group before its progress is read, so that what is read
      // below cannot change under this one without its commit failing.
      producer.initTransactions();
      RedriveProgress progress;
      ConsumerRecord<byte[], byte[]> letter;
      try (var consumer = consumer()) {
        progress = RedriveProgress.of(consumer.committed(Set.of(at), READ_TIMEOUT).get(at));
        if (progress.covers(offset)) {
          return new Outcome(
              Result.ALREADY_REDRIVEN, null, where + " was redriven before: not republished again");
        }
        Optional<ConsumerRecord<byte[], byte[]>> read = read(consumer, at, offset);
        if (read.isEmpty()) {
          return new Outcome(
              Result.NOT_REDRIVABLE,
              null,
              where + " is no longer in the dead-letter topic (past its retention)");
        }
        letter = read.get();
      }
      ConsumerRecord<byte[], byte[]> whole;
      try {
        whole = whole(client, letter);
      } catch (NotRedrivableException e) {
        return new Outcome(Result.NOT_REDRIVABLE, null, e.getMessage());
      }
      RedriveProgress after;
      try {
        after = progress.withSingle(offset);
      } catch (IllegalStateException e) {
        return new Outcome(Result.NOT_REDRIVABLE, null, e.getMessage());
      }
      String target = header(letter, DeadLetterHeaders.ORIGINAL_TOPIC);
      if (target.isEmpty()) {
        return new Outcome(
            Result.NOT_REDRIVABLE, null, where + " does not say which topic it came from");
      }
      producer.beginTransaction();
      producer.send(republished(whole, target));
      producer.sendOffsetsToTransaction(
          Map.of(at, after.toCommit()), new ConsumerGroupMetadata(group));
      producer.commitTransaction();
      return new Outcome(Result.REDRIVEN, target, where + " republished to " + target);
    } catch (KafkaException e) {
      // Fenced by another redrive, or the group busy with a CLI run, or the broker: the
      // transaction did not commit, so nothing was republished.
      return new Outcome(
          Result.FAILED, null, where + " was not redriven: " + e.getMessage() + "; try again");
    }
  }

  /**
   * A consumer of the redrive group that joins nothing. {@code read_committed} makes {@code
   * committed()} wait for a redrive's transaction still being decided, and skips aborted letters.
   */
  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The record at {@code offset}, or empty when it is past the topic's retention. */
  private static Optional<ConsumerRecord<byte[], byte[]>> read(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition from, long offset) {
    consumer.assign(List.of(from));
    long first = consumer.beginningOffsets(List.of(from), READ_TIMEOUT).get(from);
    long end = consumer.endOffsets(List.of(from), READ_TIMEOUT).get(from);
    if (offset < first || offset >= end) {
      return Optional.empty();
    }
    consumer.seek(from, offset);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && consumer.position(from) <= offset) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        if (r.offset() == offset) {
          return Optional.of(r);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A truncated letter keeps only an excerpt: what is republished is the original record, read back
   * from where it came from, with the letter's own headers (why, where from).
   *
   * @throws NotRedrivableException when that record is past its topic's retention or unread
   */
  public static ConsumerRecord<byte[], byte[]> whole(
      Properties client, ConsumerRecord<byte[], byte[]> letter) {
    if (letter.headers().lastHeader(DeadLetterHeaders.TRUNCATED) == null) {
      return letter;
    }
    TopicPartition from =
        new TopicPartition(
            header(letter, DeadLetterHeaders.ORIGINAL_TOPIC),
            Integer.parseInt(header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)));
    long offset = Long.parseLong(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET));
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    ConsumerRecord<byte[], byte[]> original;
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(from));
      if (offset < consumer.beginningOffsets(List.of(from), READ_TIMEOUT).get(from)) {
        throw new NotRedrivableException(
            "the record behind a truncated dead letter, "
                + from
                + "@"
                + offset
                + ", is past its topic's retention; nothing was redriven");
      }
      original =
          read(consumer, from, offset)
              .orElseThrow(
                  () ->
                      new NotRedrivableException(
                          "could not read "
                              + from
                              + "@"
                              + offset
                              + ", the record behind a truncated dead letter"));
    }
    RecordHeaders headers = new RecordHeaders(original.headers().toArray());
    for (Header h : letter.headers()) {
      if (h.key().startsWith(LETTER_HEADERS)) {
        headers.add(h);
      }
    }
    return new ConsumerRecord<>(
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
        Optional.empty());
  }

  /**
   * The record to republish: the original key, value and headers, without the letter's own, and
   * with where it was redriven from.
   */
  public static ProducerRecord<byte[], byte[]> republished(
      ConsumerRecord<byte[], byte[]> whole, String target) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : whole.headers()) {
      if (!h.key().startsWith(LETTER_HEADERS)) {
        headers.add(h);
      }
    }
    headers.add(
        REDRIVEN_FROM,
        (whole.topic() + "-" + whole.partition() + "@" + whole.offset())
            .getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(target, null, whole.key(), whole.value(), headers);
  }

  /** A header as text, empty when absent. */
  public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
