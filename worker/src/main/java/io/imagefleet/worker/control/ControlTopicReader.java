package io.imagefleet.worker.control;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.config.ControlSettings;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.intake.KafkaClientProperties;
import io.imagefleet.worker.job.CancelRequests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every cancel request of the fleet: the shared control topic and every tenant's own ({@code
 * imagefleet.tenant.<tenant>.job-control.v1}, under {@code tenants.topic-prefix}, found by listing
 * topics, so a new tenant needs no restart). It joins no consumer group: each worker is assigned
 * every partition, so each sees every cancel, whichever partitions of the jobs topic it owns. On
 * start it reads back {@code control.remember-for}, so a cancel published before its job is read,
 * or before this worker started, still finds the job.
 *
 * <p>A request on a tenant's own topic may only cancel that tenant's jobs (Kafka's ACLs decide who
 * may write there); the shared topic is trusted, like the shared jobs topic. A record that is not a
 * valid request cancels nothing and is logged with its code ({@code undecodable}, {@code
 * invalid_cancel}, {@code tenant_mismatch}).
 *
 * <p>Rounds: the thread asks for the control partitions' end offsets, reads up to them, and then
 * counts every request written before the round began as applied ({@link #appliedThrough}); jobs
 * about to be created wait for the round after they were read. Threads: one daemon thread,
 * "job-control", owns the consumer; job runs register watches and waiters from any thread.
 */
public final class ControlTopicReader implements CancelRequests, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlTopicReader.class);

  /** How often new tenants' control topics are looked for. */
  private static final Duration DISCOVER_EVERY = Duration.ofSeconds(10);

  /** The wait for new records while no job waits for a round. */
  private static final Duration IDLE_POLL = Duration.ofMillis(100);

  /**
   * The least time between rounds while jobs wait: each round costs one end-offsets request to the
   * broker, and a job waits for at most one round after it was read.
   */
  private static final Duration ROUND_SPACING = Duration.ofMillis(10);

  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

  private final ControlSettings settings;
  private final Pattern topics;
  private final Properties consumerProperties;
  private final Clock clock;
  private final CancelIndex index;
  private final Thread thread;

  /** Running jobs by tenant, with the callback that stops them. */
  private final Map<String, Set<Watched>> watched = new ConcurrentHashMap<>();

  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile Instant applied = Instant.MIN;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  public ControlTopicReader(WorkerConfig config, Clock clock) {
    this.settings = config.control();
    this.topics =
        Pattern.compile(
            Pattern.quote(settings.topic()) + "|" + config.tenants().topics().controlPattern());
    this.clock = clock;
    this.index = new CancelIndex(settings.rememberFor(), settings.maxRemembered());
    Properties p = KafkaClientProperties.consumer(config);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned every partition: every worker sees all
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-job-control");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumerProperties = p;
    this.thread = new Thread(this::run, "job-control");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public Watch watch(JobRequest job, Instant publishedAt, Consumer<CancelRequest> onCancel) {
    Watched w = new Watched(job.tenant(), job.jobId(), publishedAt, onCancel);
    String tenant = String.valueOf(job.tenant());
    watched.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet()).add(w);
    // Registered first, looked up second: a cancel applied meanwhile is seen by one or the other.
    index.match(job.tenant(), job.jobId(), publishedAt, clock.instant()).ifPresent(w::tell);
    return () -> {
      Set<Watched> ofTenant = watched.get(tenant);
      if (ofTenant != null) {
        ofTenant.remove(w);
      }
    };
  }

  @Override
  public CompletableFuture<Void> appliedThrough(Instant at) {
    if (!applied.isBefore(at) || !thread.isAlive()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    Waiter waiter = new Waiter(at, done);
    waiters.add(waiter);
    if (waiting.getAndIncrement() == 0) {
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup(); // idle in poll: start a round now
      }
    }
    if (!applied.isBefore(at)) {
      releaseWaiters(); // a round ended between the check and the add
    }
    // Past the timeout (the control topics unreadable) the job goes on rather than wait for ever.
    return done.completeOnTimeout(null, settings.applyTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, error) -> {
              if (waiters.remove(waiter)) {
                waiting.decrementAndGet();
                log.warn(
                    "the control topics were not read within {}: a job goes on unchecked",
                    settings.applyTimeout());
              }
            });
  }

  /** Cancels this worker remembers now. */
  public int remembered() {
    return index.size();
  }

  private void run() {
    Map<TopicPartition, String> tenantOf = new HashMap<>();
    Instant nextDiscovery = Instant.MIN;
    Instant lastError = Instant.MIN;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties)) {
      consumer = c;
      while (running) {
        try {
          Instant roundStart = clock.instant();
          if (!roundStart.isBefore(nextDiscovery)) {
            discover(c, tenantOf);
            nextDiscovery = roundStart.plus(DISCOVER_EVERY);
          }
          readToEnd(c, tenantOf);
          applied = roundStart;
          releaseWaiters();
          if (tenantOf.isEmpty()) {
            pause(waiting.get() > 0 ? ROUND_SPACING : IDLE_POLL);
          } else {
            readSome(c, tenantOf, waiting.get() > 0 ? ROUND_SPACING : IDLE_POLL);
          }
        } catch (WakeupException e) {
          // a job waits for a round, or the reader is closing
        } catch (RuntimeException e) {
          Instant now = clock.instant();
          if (now.isAfter(lastError.plusSeconds(60))) {
            lastError = now;
            log.warn(
                "reading the control topics failed ({}): cancels wait, jobs go on after {}",
                e.toString(),
                settings.applyTimeout());
          }
          pause(Duration.ofSeconds(1));
        }
      }
    } catch (RuntimeException e) {
      log.error("the control topic reader stopped: cancels are no longer applied", e);
    }
  }

  /** Assigns every partition of the control topics, reading new ones back {@code rememberFor}. */
  private void discover(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, String> tenantOf) {
    Map<String, List<PartitionInfo>> all = c.listTopics(KAFKA_TIMEOUT);
    List<TopicPartition> added = new ArrayList<>();
    for (Map.Entry<String, List<PartitionInfo>> topic : all.entrySet()) {
      Matcher m = topics.matcher(topic.getKey());
      if (!m.matches()) {
        continue;
      }
      String tenant = m.group(1) == null ? "" : m.group(1); // the shared topic has none
      for (PartitionInfo p : topic.getValue()) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        if (tenantOf.putIfAbsent(tp, tenant) == null) {
          added.add(tp);
        }
      }
    }
    if (added.isEmpty()) {
      return;
    }
    c.assign(tenantOf.keySet());
    Instant from = clock.instant().minus(settings.rememberFor());
    Map<TopicPartition, Long> at = new HashMap<>();
    added.forEach(tp -> at.put(tp, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(at, KAFKA_TIMEOUT);
    Map<TopicPartition, Long> ends = c.endOffsets(added, KAFKA_TIMEOUT);
    for (TopicPartition tp : added) {
      OffsetAndTimestamp o = found.get(tp);
      c.seek(tp, o == null ? ends.get(tp) : o.offset());
    }
    Set<String> names = new HashSet<>();
    added.forEach(tp -> names.add(tp.topic()));
    log.info("reading cancel requests from {}", names);
  }

  /** Reads until every control partition is at the end offset it had when this was called. */
  private void readToEnd(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, String> tenantOf) {
    if (tenantOf.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> ends = c.endOffsets(tenantOf.keySet(), KAFKA_TIMEOUT);
    while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
      readSome(c, tenantOf, IDLE_POLL);
    }
  }

  private void readSome(
      KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, String> tenantOf, Duration wait) {
    for (ConsumerRecord<byte[], byte[]> r : c.poll(wait)) {
      apply(r, tenantOf.get(new TopicPartition(r.topic(), r.partition())));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record, String topicTenant) {
    CancelRequest request;
    try {
      request = JobCodec.decodeCancel(record.value());
    } catch (RuntimeException e) {
      ignore(record, "undecodable", e.getMessage());
      return;
    }
    Optional<String> invalid = request.invalidReason();
    if (invalid.isPresent()) {
      ignore(record, "invalid_cancel", invalid.get());
      return;
    }
    if (topicTenant != null && !topicTenant.isEmpty() && !topicTenant.equals(request.tenant())) {
      ignore(
          record,
          "tenant_mismatch",
          "a request on tenant " + topicTenant + "'s topic may only cancel that tenant's jobs");
      return;
    }
    if (!index.add(request, clock.instant())) {
      return; // older than control.remember-for: it reaches nothing any more
    }
    log.info(
        "cancel request {} of tenant {}: {} {}",
        request.requestId(),
        request.tenant(),
        request.scope().wire(),
        switch (request.scope()) {
          case JOB -> request.jobId();
          case PREFIX -> request.jobIdPrefix() + "*";
          case ALL_QUEUED -> "published up to " + request.requestedAt();
        });
    for (Watched w : watched.getOrDefault(request.tenant(), Set.of())) {
      if (request.covers(w.tenant(), w.jobId(), w.publishedAt())) {
        w.tell(request);
      }
    }
  }

  private static void ignore(ConsumerRecord<byte[], byte[]> record, String code, String why) {
    String detail = why == null ? "" : why.length() <= 200 ? why : why.substring(0, 200) + "...";
    log.warn(
        "control record {}-{}@{} ignored: {} ({})",
        record.topic(),
        record.partition(),
        record.offset(),
        code,
        detail);
  }

  private void releaseWaiters() {
    Instant through = applied;
    for (Waiter w : waiters) {
      if (!w.at().isAfter(through) && waiters.remove(w)) {
        waiting.decrementAndGet();
        w.done().complete(null);
      }
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // the reader's own thread, with no partition to wait on
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
    waiters.forEach(w -> w.done().complete(null));
  }

  private record Waiter(Instant at, CompletableFuture<Void> done) {}

  /** One running job, as far as cancels go. */
  private record Watched(
      String tenant, String jobId, Instant publishedAt, Consumer<CancelRequest> onCancel) {
    void tell(CancelRequest request) {
      try {
        onCancel.accept(request);
      } catch (RuntimeException e) {
        log.warn("job {}: applying cancel {} failed", jobId, request.requestId(), e);
      }
    }
  }
}
