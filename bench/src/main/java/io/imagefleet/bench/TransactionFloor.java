package io.imagefleet.bench;

import io.imagefleet.bench.BenchEnvironment.RunTopics;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.intake.KafkaClientProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What exactly-once delivery alone costs on this machine: transactions shaped like the worker's (a
 * terminal event and an ENDED state per job ending, then the consumed offsets), made with the
 * worker's own producer settings on the run's broker while nothing else runs, each timed from its
 * begin until a {@code read_committed} reader has every one of its events.
 *
 * <p>Every imagefleet job's delivery lag holds one such transaction, plus the wait for it to begin
 * (the commit interval, the transaction before). So this is the floor under the fleet overhead that
 * no tuning of the worker removes while terminal events and offsets commit together; under load the
 * same round trips queue behind the other work on the two cores.
 */
final class TransactionFloor {
  static final int WARM_UP = 20;
  static final int MEASURED = 100;

  /** A light load's transaction: the default batch carries about 15 endings per transaction. */
  static final int ENDINGS = 8;

  /** About a terminal event's encoded size. */
  private static final byte[] EVENT =
      "{\"schema_version\":1,\"job_id\":\"floor\",\"status\":\"SUCCEEDED\"}"
          .repeat(12)
          .getBytes(StandardCharsets.UTF_8);

  private static final Duration READ_DEADLINE = Duration.ofSeconds(30);

  /**
   * One phase's percentiles, in milliseconds (nanosecond samples, so sub-millisecond phases show).
   */
  record Phase(double p50Ms, double p99Ms) {
    static Phase of(long[] nanos) {
      Percentiles p = Percentiles.of(nanos);
      return new Phase(p.at(50) / 1e6, p.at(99) / 1e6);
    }

    /** "p50/p99", to a tenth of a millisecond. */
    String text() {
      return String.format(Locale.ROOT, "%.1f/%.1f", p50Ms, p99Ms);
    }
  }

  /**
   * @param total begin to the reader having every event of the transaction
   * @param sends begin and the sends (the producer only queues them)
   * @param offsets {@code sendOffsetsToTransaction}: the offsets joined to the transaction and
   *     written
   * @param commit {@code commitTransaction}: the records flushed, then the commit asked and
   *     answered
   * @param commitToRead the answered commit to the reader having every event: the markers written,
   *     the last stable offset moved, the reader's fetch answered
   */
  record Result(
      int transactions,
      int endingsEach,
      Phase total,
      Phase sends,
      Phase offsets,
      Phase commit,
      Phase commitToRead) {}

  private TransactionFloor() {}

  /**
   * Runs {@link #WARM_UP} unmeasured then {@link #MEASURED} measured transactions, the commit
   * interval apart.
   */
  static Result measure(BenchEnvironment env, Scenario scenario, Path runDir, String runId) {
    RunTopics topics = env.createTopics(runId, scenario.partitions());
    WorkerConfig config =
        ConfigLoader.fromMap(
            ContenderRun.workerValues(env, scenario, topics, runDir, runId), Map.of());
    Duration spacing = config.intake().commitInterval();
    BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
    KafkaConsumer<String, byte[]> consumer = positionedReader(env, topics);
    Thread reader = new Thread(() -> read(consumer, arrivals), "transaction-floor-reader");
    reader.start();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(withStringKeys(KafkaClientProperties.transactionalProducer(config)))) {
      producer.initTransactions();
      ConsumerGroupMetadata group = new ConsumerGroupMetadata(runId);
      List<Took> measured = new ArrayList<>();
      for (int t = 0; t < WARM_UP + MEASURED; t++) {
        Took took = transaction(producer, group, topics, t, arrivals);
        if (t >= WARM_UP) {
          measured.add(took);
        }
        Thread.sleep(spacing.toMillis());
      }
      return new Result(
          MEASURED,
          ENDINGS,
          phase(measured, Took::total),
          phase(measured, Took::sends),
          phase(measured, Took::offsets),
          phase(measured, Took::commit),
          phase(measured, Took::commitToRead));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the transaction floor", e);
    } finally {
      consumer.wakeup();
      joinQuietly(reader);
    }
  }

  /** One transaction's phases, in nanoseconds (see {@link Result}). */
  private record Took(long total, long sends, long offsets, long commit, long commitToRead) {}

  private static Phase phase(List<Took> measured, ToLongFunction<Took> which) {
    return Phase.of(measured.stream().mapToLong(which).toArray());
  }

  private static Took transaction(
      KafkaProducer<String, byte[]> producer,
      ConsumerGroupMetadata group,
      RunTopics topics,
      int t,
      BlockingQueue<String> arrivals)
      throws InterruptedException {
    long begun = System.nanoTime();
    producer.beginTransaction();
    for (int i = 0; i < ENDINGS; i++) {
      String key = t + "-" + i;
      producer.send(new ProducerRecord<>(topics.events(), key, EVENT));
      producer.send(new ProducerRecord<>(topics.state(), i % topics.partitions(), key, EVENT));
    }
    long sent = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> offsets =
        new HashMap<>(); // two partitions' (one when there is one)
    for (int p = t; p <= t + 1; p++) {
      offsets.put(
          new TopicPartition(topics.jobs(), p % topics.partitions()),
          new OffsetAndMetadata(t + 1L));
    }
    producer.sendOffsetsToTransaction(offsets, group);
    long offered = System.nanoTime();
    producer.commitTransaction();
    long committed = System.nanoTime();
    awaitEvents(arrivals, t);
    long read = System.nanoTime();
    return new Took(
        read - begun, sent - begun, offered - sent, committed - offered, read - committed);
  }

  /**
   * Waits until the reader has had all of transaction {@code t}'s events (earlier ones arrived
   * already).
   */
  private static void awaitEvents(BlockingQueue<String> arrivals, int t)
      throws InterruptedException {
    String prefix = t + "-";
    int seen = 0;
    long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
    while (seen < ENDINGS) {
      String key = arrivals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (key == null) {
        throw new IllegalStateException(
            "a read_committed reader did not see transaction "
                + t
                + " within "
                + READ_DEADLINE.toSeconds()
                + " s");
      }
      seen += key.startsWith(prefix) ? 1 : 0;
    }
  }

  /**
   * A {@code read_committed} reader of every events partition, positioned at its end before
   * anything is written.
   */
  private static KafkaConsumer<String, byte[]> positionedReader(
      BenchEnvironment env, RunTopics topics) {
    Properties p = env.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
    List<TopicPartition> partitions = new ArrayList<>();
    for (int i = 0; i < topics.partitions(); i++) {
      partitions.add(new TopicPartition(topics.events(), i));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  /**
   * Polls without pause until woken, so a fetch is always waiting at the broker for the next
   * transaction to become readable; owns the consumer from here on and closes it.
   */
  private static void read(KafkaConsumer<String, byte[]> consumer, BlockingQueue<String> arrivals) {
    try (consumer) {
      while (true) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          arrivals.add(record.key());
        }
      }
    } catch (WakeupException e) {
      // the measurement is over
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(READ_DEADLINE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Properties withStringKeys(Properties producer) {
    Properties p = new Properties();
    p.putAll(producer);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return p;
  }
}
