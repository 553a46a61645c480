package io.imagefleet.cli.console;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.budget.BudgetStanding;
import io.imagefleet.worker.callback.OwedCallback;
import io.imagefleet.worker.metrics.WorkerStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's one reader of Kafka: events, heartbeats, the budget ledger, callback deliveries,
 * dead letters and the console's own actions (its audit topic), on one consumer that joins no group
 * and commits nothing. At start it goes back {@code window} records per partition on the events,
 * callbacks-owed, dead-letter and audit topics (all of the compacted heartbeats; the budget ledger
 * from where the workers read it, the day before this month), then follows them. Each record
 * updates a view and is published to the open pages.
 *
 * <p>The consumer lives on the feed thread; {@link #close} only calls {@code wakeup()}. Only
 * committed events are read ({@code read_committed}), the ones downstream teams see.
 */
final class ConsoleFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  /** A key is shown, not kept whole: a dead letter's key may be anything. */
  private static final int MAX_KEY_CHARS = 200;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ConsoleSettings settings;
  private final JobView jobs;
  private final FleetView fleet;
  private final ActionLog actions;
  private final Publisher publisher;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean started;
  private boolean readsActions;

  /** What the feed tells the pages: an event name and its JSON. */
  interface Publisher {
    void publish(String event, Object body);
  }

  ConsoleFeed(
      Properties client,
      ConsoleSettings settings,
      JobView jobs,
      FleetView fleet,
      ActionLog actions,
      Publisher publisher) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "imagefleet-console");
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.settings = settings;
    this.jobs = jobs;
    this.fleet = fleet;
    this.actions = actions;
    this.publisher = publisher;
    try {
      assign();
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.thread = new Thread(this::run, "console-feed");
    thread.setDaemon(true);
  }

  void start() {
    started = true;
    thread.start();
  }

  /** Assigns every partition and seeks back; a missing events topic stops the console at start. */
  private void assign() {
    List<TopicPartition> events = partitions(settings.eventsTopic());
    if (events.isEmpty()) {
      throw new IllegalStateException(
          "topic "
              + settings.eventsTopic()
              + " does not exist; create it with bin/imagefleet topics, or name the fleet's"
              + " events topic with --events-topic");
    }
    List<TopicPartition> workers = partitions(settings.workersTopic());
    List<TopicPartition> letters = partitions(settings.deadLettersTopic());
    List<TopicPartition> budgets = partitions(settings.budgetsTopic());
    List<TopicPartition> callbacks = partitions(settings.callbacksTopic());
    List<TopicPartition> audit = partitions(settings.actions().auditTopic());
    readsActions = !audit.isEmpty();
    if (workers.isEmpty()) {
      log.warn("no topic {}: the console shows no workers", settings.workersTopic());
    }
    if (letters.isEmpty()) {
      log.warn("no topic {}: the console shows no dead letters", settings.deadLettersTopic());
    }
    if (budgets.isEmpty()) {
      log.info("no topic {}: the console shows no budgets", settings.budgetsTopic());
    }
    List<TopicPartition> all = new ArrayList<>(events);
    all.addAll(workers);
    all.addAll(letters);
    all.addAll(budgets);
    all.addAll(callbacks);
    all.addAll(audit);
    consumer.assign(all);
    consumer.seekToBeginning(workers);
    seekToTime(budgets, BudgetStanding.readFrom(Instant.now()));
    List<TopicPartition> windowed = new ArrayList<>(events);
    windowed.addAll(letters);
    windowed.addAll(callbacks);
    windowed.addAll(audit);
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(windowed, METADATA_TIMEOUT);
    Map<TopicPartition, Long> ends = consumer.endOffsets(windowed, METADATA_TIMEOUT);
    for (TopicPartition tp : windowed) {
      consumer.seek(tp, Math.max(starts.get(tp), ends.get(tp) - settings.window()));
    }
  }

  /** Each partition from its first record at or after {@code from}; its end when none is. */
  private void seekToTime(List<TopicPartition> partitions, Instant from) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> at = new HashMap<>();
    partitions.forEach(p -> at.put(p, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(at, METADATA_TIMEOUT);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp offset = found.get(p);
      consumer.seek(p, offset != null ? offset.offset() : ends.get(p));
    }
  }

  /** Whether the audit topic exists: actions are taken only when they can be recorded. */
  boolean readsActions() {
    return readsActions;
  }

  private List<TopicPartition> partitions(String topic) {
    return consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .toList();
  }

  private void run() {
    try {
      while (running) {
        boolean fleetChanged = false;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          fleetChanged |= take(record);
        }
        if (fleetChanged) {
          // One notice per poll: the pages fetch the whole fleet anyway, and a burst of heartbeats
          // or budget records must not fill their queues.
          publisher.publish("fleet", Map.of());
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      log.error("the console stopped reading Kafka", e);
    } finally {
      consumer.close();
    }
  }

  /** Takes one record into its view; answers whether the fleet view changed. */
  private boolean take(ConsumerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    try {
      if (topic.equals(settings.eventsTopic())) {
        if (record.value() != null) {
          StatusEvent event = JobCodec.decodeEvent(record.value());
          publisher.publish("job", jobs.apply(event));
        }
        return false;
      } else if (topic.equals(settings.workersTopic())) {
        String id = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        fleet.heartbeat(id, record.value() == null ? null : WorkerStatus.fromJson(record.value()));
        return true;
      } else if (topic.equals(settings.callbacksTopic())) {
        String id = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        fleet.callback(id, record.value() == null ? null : OwedCallback.decode(record.value()));
        return true;
      } else if (topic.equals(settings.budgetsTopic())) {
        if (record.value() != null) {
          fleet.budgetRecord(record.value());
        }
        return true;
      } else if (topic.equals(settings.deadLettersTopic())) {
        fleet.deadLetter(deadLetter(record));
        return true;
      } else if (topic.equals(settings.actions().auditTopic())) {
        if (record.value() != null) {
          ActionRecord action = Json.mapper().readValue(record.value(), ActionRecord.class);
          actions.add(action);
          publisher.publish("action", action);
        }
        return false;
      }
    } catch (IOException | RuntimeException e) {
      // Not a record this version understands (another schema, a stray producer): skip it.
      log.debug("skipped {}-{}@{}", topic, record.partition(), record.offset(), e);
    }
    return false;
  }

  private static FleetView.DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (key != null && key.length() > MAX_KEY_CHARS) {
      key = key.substring(0, MAX_KEY_CHARS) + "...";
    }
    return new FleetView.DeadLetter(
        r.partition(),
        r.offset(),
        key,
        header(r, DeadLetterHeaders.REASON),
        header(r, DeadLetterHeaders.ERROR_CLASS),
        header(r, DeadLetterHeaders.ORIGINAL_TOPIC),
        header(r, DeadLetterHeaders.ORIGINAL_PARTITION),
        header(r, DeadLetterHeaders.ORIGINAL_OFFSET),
        header(r, DeadLetterHeaders.WORKER),
        header(r, DeadLetterHeaders.FAILED_AT),
        header(r, DeadLetterHeaders.TRUNCATED),
        Instant.ofEpochMilli(r.timestamp()),
        false);
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    running = false;
    if (!started) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
