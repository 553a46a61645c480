package io.imagefleet.worker.routehealth;

import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.intake.KafkaClientProperties;
import io.imagefleet.worker.metrics.WorkerStatus;
import io.imagefleet.worker.resilience.FleetLink;
import io.imagefleet.worker.resilience.LaneState;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.resilience.SpendingGate;
import io.imagefleet.worker.resilience.SpendingState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's shared knowledge of the upstream, over Kafka. A worker writes what it learns (a
 * lane's new rate or cooldown, a route down, spending stopped or resumed) to the compacted
 * route-health topic, and applies every record of that topic in order, its own included, so every
 * worker converges on the last record written for each lane. It also reads the heartbeat topic to
 * know how many workers are alive: each takes 1/n of a shared rate, and the live worker with the
 * smallest id is the one that raises rates.
 *
 * <p>A missing route-health topic is reported once and looked for again now and then; meanwhile the
 * worker learns alone. Threads: one daemon thread, "route-health", owns the consumer; records are
 * sent through the worker's shared producer, whose sends never block this thread's callers.
 */
public final class RouteHealth implements FleetLink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteHealth.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration LOOK_FOR_TOPIC_EVERY = Duration.ofSeconds(10);

  /** Heartbeats missed before a worker counts as gone (a killed worker sends no tombstone). */
  private static final int MISSED_BEATS = 3;

  private final Producer<byte[], byte[]> producer;
  private final Properties consumerProperties;
  private final String topic;
  private final String workersTopic;
  private final String workerId;
  private final Duration heartbeatInterval;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean topicExists;
  private volatile boolean raisesRates = true;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private RouteTable routes;
  private SpendingGate spending;

  public RouteHealth(WorkerConfig config, Producer<byte[], byte[]> producer, Clock clock) {
    this.producer = producer;
    this.topic = config.topics().routeHealth();
    this.workersTopic = config.ops().workersTopic();
    this.workerId = config.workerId();
    this.heartbeatInterval =
        config.ops().heartbeatsEnabled() ? config.ops().heartbeatInterval() : Duration.ZERO;
    this.clock = clock;
    Properties p = KafkaClientProperties.consumer(config);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, never a member of the jobs group
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-route-health");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // looking must not create it
    this.consumerProperties = p;
    this.thread = new Thread(this::run, "route-health");
    this.thread.setDaemon(true);
  }

  /** Starts applying the fleet's records to {@code routes} and {@code spending}. */
  public void start(RouteTable routes, SpendingGate spending) {
    this.routes = routes;
    this.spending = spending;
    thread.start();
  }

  @Override
  public void laneChanged(LaneState state) {
    send(RouteHealthRecords.key(state), RouteHealthRecords.value(state));
  }

  @Override
  public void spendingChanged(SpendingState state) {
    send(RouteHealthRecords.key(state), RouteHealthRecords.value(state));
  }

  @Override
  public boolean raisesRates() {
    return raisesRates;
  }

  private void send(byte[] key, byte[] value) {
    if (!topicExists) {
      return; // learned alone: a producer asked for a missing topic would block the caller
    }
    try {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (metadata, error) -> {
            if (error != null) {
              log.debug("route health not acknowledged: {}", error.toString());
            }
          });
    } catch (RuntimeException e) {
      log.debug("route health not sent: {}", e.toString());
    }
  }

  private void run() {
    Map<String, Instant> beats = new HashMap<>();
    Instant lookedForTopic = Instant.MIN;
    boolean reportedMissing = false;
    int workers = 1;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties)) {
      consumer = c;
      while (running) {
        Instant now = clock.instant();
        if (!topicExists && !now.isBefore(lookedForTopic.plus(LOOK_FOR_TOPIC_EVERY))) {
          lookedForTopic = now;
          List<TopicPartition> partitions = partitions(c, topic);
          if (!partitions.isEmpty()) {
            List<TopicPartition> all = new ArrayList<>(partitions);
            if (!heartbeatInterval.isZero()) {
              all.addAll(partitions(c, workersTopic));
            }
            c.assign(all);
            c.seekToBeginning(all);
            topicExists = true;
            log.info("sharing route health with the fleet on {}", topic);
          } else if (!reportedMissing) {
            reportedMissing = true;
            log.warn(
                "route-health topic {} does not exist: this worker learns rates and cooldowns "
                    + "alone until it is created (bin/imagefleet topics creates it)",
                topic);
          }
        }
        if (!topicExists) {
          sleep(POLL);
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
          if (r.topic().equals(topic)) {
            apply(r);
          } else if (r.key() != null) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
              beats.remove(id);
            } else {
              beats.put(id, beatTime(r));
            }
          }
        }
        int live = countLive(beats, clock.instant());
        if (live != workers) {
          workers = live;
          routes.workers(live);
          log.info("{} live workers share the upstream's rates", live);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("route health stopped: {}; this worker learns alone from now on", e.toString());
      topicExists = false;
      raisesRates = true;
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    if (RouteHealthRecords.isSpending(r.key())) {
      RouteHealthRecords.spending(r.value()).ifPresent(spending::adopt);
    } else {
      RouteHealthRecords.lane(r.value()).ifPresent(routes::adopt);
    }
  }

  /** Live workers, this one always among them; decides which one raises rates. */
  private int countLive(Map<String, Instant> beats, Instant now) {
    if (heartbeatInterval.isZero()) {
      return 1;
    }
    Instant since = now.minus(heartbeatInterval.multipliedBy(MISSED_BEATS));
    String lowest = workerId;
    int live = 1;
    for (Map.Entry<String, Instant> e : beats.entrySet()) {
      if (!e.getKey().equals(workerId) && e.getValue().isAfter(since)) {
        live++;
        if (e.getKey().compareTo(lowest) < 0) {
          lowest = e.getKey();
        }
      }
    }
    raisesRates = lowest.equals(workerId);
    return live;
  }

  private static Instant beatTime(ConsumerRecord<byte[], byte[]> r) {
    try {
      Instant updated = WorkerStatus.fromJson(r.value()).updatedAt();
      return updated != null ? updated : Instant.ofEpochMilli(r.timestamp());
    } catch (RuntimeException e) {
      return Instant.ofEpochMilli(r.timestamp());
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String name) {
    try {
      List<PartitionInfo> infos = c.partitionsFor(name, Duration.ofSeconds(5));
      return infos == null
          ? List.of()
          : infos.stream().map(i -> new TopicPartition(name, i.partition())).toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
