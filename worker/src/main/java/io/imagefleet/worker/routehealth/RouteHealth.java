package io.imagefleet.worker.routehealth;

import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.intake.BackgroundSender;
import io.imagefleet.worker.intake.KafkaClientProperties;
import io.imagefleet.worker.metrics.WorkerStatus;
import io.imagefleet.worker.resilience.FleetLink;
import io.imagefleet.worker.resilience.Lane;
import io.imagefleet.worker.resilience.LaneState;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.resilience.SpendingGate;
import io.imagefleet.worker.resilience.SpendingState;
import io.imagefleet.worker.resilience.WorkerDemand;
import io.imagefleet.worker.resilience.WorkerDemand.Answers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * know which workers are alive, and each worker's demand (the lanes it has work on): a shared rate
 * is divided among the live workers with work on its lane, and the one of them with the smallest id
 * is the one that raises it. A live worker that never wrote its demand counts as having work
 * everywhere, so a fleet of mixed versions divides conservatively.
 *
 * <p>A missing route-health topic is reported once and looked for again now and then; meanwhile the
 * worker learns alone. Threads: one daemon thread, "route-health", owns the consumer; records are
 * sent through the worker's shared producer by a {@link BackgroundSender}, because its callers
 * include the producer's own I/O thread and the HTTP client's threads, which must never wait for a
 * topic's metadata.
 */
public final class RouteHealth implements FleetLink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteHealth.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration LOOK_FOR_TOPIC_EVERY = Duration.ofSeconds(10);

  /**
   * A worker's answers are written once a second over a window of two: older than this, they are a
   * worker's that stopped writing, not the fleet's recent answers.
   */
  private static final Duration RECENT_ANSWERS = Duration.ofSeconds(3);

  /** Heartbeats missed before a worker counts as gone (a killed worker sends no tombstone). */
  private static final int MISSED_BEATS = 3;

  /** Lane changes come in bursts (a 429 on every route at once); more than this is a bug. */
  private static final int MAX_WAITING_RECORDS = 1_000;

  private final BackgroundSender sender;
  private final Properties consumerProperties;
  private final String topic;
  private final String workersTopic;
  private final String workerId;
  private final Duration heartbeatInterval;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean topicExists;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private RouteTable routes;
  private SpendingGate spending;

  public RouteHealth(WorkerConfig config, Producer<byte[], byte[]> producer, Clock clock) {
    this.sender = new BackgroundSender(producer, "route-health-writer", MAX_WAITING_RECORDS);
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
  public void demandChanged(WorkerDemand demand) {
    send(RouteHealthRecords.key(demand), RouteHealthRecords.value(demand));
  }

  private void send(byte[] key, byte[] value) {
    if (!topicExists) {
      return; // learned alone: a producer asked for a missing topic would block the caller
    }
    boolean queued =
        sender.send(
            new ProducerRecord<>(topic, key, value),
            (metadata, error) -> {
              if (error != null) {
                log.debug("route health not acknowledged: {}", error.toString());
              }
            });
    if (!queued) {
      log.debug("route health not sent: {} records wait already", MAX_WAITING_RECORDS);
    }
  }

  private void run() {
    Map<String, Instant> beats = new HashMap<>();
    Map<String, WorkerDemand> demands = new HashMap<>();
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
            apply(r, demands);
          } else if (r.key() != null) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
              beats.remove(id);
            } else {
              beats.put(id, beatTime(r));
            }
          }
        }
        List<String> others = liveOthers(beats, clock.instant());
        if (others.size() + 1 != workers) {
          workers = others.size() + 1;
          log.info("{} live workers share the upstream's rates", workers);
        }
        share(others, demands);
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("route health stopped: {}; this worker learns alone from now on", e.toString());
      topicExists = false;
      routes.lanes().forEach(lane -> lane.share(1, true, Answers.NONE));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r, Map<String, WorkerDemand> demands) {
    Optional<String> demandOf = RouteHealthRecords.demandOf(r.key());
    if (demandOf.isPresent()) {
      Optional<WorkerDemand> demand = RouteHealthRecords.demand(r.value());
      if (demand.isPresent()) {
        demands.put(demandOf.get(), demand.get());
      } else {
        demands.remove(demandOf.get());
      }
    } else if (RouteHealthRecords.isSpending(r.key())) {
      RouteHealthRecords.spending(r.value()).ifPresent(spending::adopt);
    } else {
      RouteHealthRecords.lane(r.value()).ifPresent(routes::adopt);
    }
  }

  /** The other workers whose heartbeat is recent, by id. */
  private List<String> liveOthers(Map<String, Instant> beats, Instant now) {
    if (heartbeatInterval.isZero()) {
      return List.of();
    }
    Instant since = now.minus(heartbeatInterval.multipliedBy(MISSED_BEATS));
    return beats.entrySet().stream()
        .filter(e -> !e.getKey().equals(workerId) && e.getValue().isAfter(since))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /**
   * Each lane's part for this worker: the rate divided by the live workers with work on it (this
   * one counted), raised by the one of them with the smallest id.
   */
  private void share(List<String> others, Map<String, WorkerDemand> demands) {
    Instant recent = clock.instant().minus(RECENT_ANSWERS);
    for (Lane lane : routes.lanes()) {
      String raiser = lane.busy() ? workerId : null;
      int busy = 1;
      Answers answers = Answers.NONE;
      for (String other : others) {
        WorkerDemand demand = demands.get(other);
        if (demand == null || demand.busyLanes().contains(lane.name())) {
          busy++;
          if (raiser == null || other.compareTo(raiser) < 0) {
            raiser = other;
          }
        }
        if (demand != null
            && demand.at() != null
            && demand.at().isAfter(recent)
            && lane.windowFollowsLastCut(demand.at())) {
          answers = answers.plus(demand.answers().getOrDefault(lane.name(), Answers.NONE));
        }
      }
      lane.share(busy, raiser == null || raiser.equals(workerId), answers);
    }
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
    sender.close();
  }
}
