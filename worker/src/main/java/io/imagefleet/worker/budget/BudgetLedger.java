package io.imagefleet.worker.budget;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.Json;
import io.imagefleet.worker.config.BudgetSettings;
import io.imagefleet.worker.config.BudgetSettings.TenantBudget;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.intake.BackgroundSender;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants' budgets enforced across the fleet through a Kafka log (the budget topic, keyed by
 * tenant).
 *
 * <p>Before a job spends, its worker appends a RESERVE of the job's estimate. Every worker reads
 * the whole log in order on its own thread and applies it to a {@link BudgetBook}; the writer
 * completes the job's reservation with the decision its book reaches at that record. Because a
 * decision depends only on the records before it, two workers racing for the last dollars of a
 * budget are ordered by the partition, and the second sees the first's reservation: granted
 * reservations never add up to more than a limit. When the job ends, a SETTLE replaces the estimate
 * by the actual cost.
 *
 * <p>Threads: the ledger thread owns the consumer and the book; a small writer thread appends
 * records, so the callers (the intake thread, the producer's IO thread) never block on Kafka
 * metadata; timeouts run on the worker's scheduler. Reading starts one day before the current UTC
 * month, which is all that current decisions depend on: keep the topic's retention above 32 days.
 */
public final class BudgetLedger implements Budgets {
  private static final Logger log = LoggerFactory.getLogger(BudgetLedger.class);

  private final BudgetSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final String workerId;
  private final BackgroundSender writer;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean running = true;

  /** Reservations of this worker waiting for their decision, by request id. */
  private final Map<String, CompletableFuture<BudgetDecision>> pending = new ConcurrentHashMap<>();

  // Owned by the ledger thread.
  private final BudgetBook book = new BudgetBook();

  public BudgetLedger(
      WorkerConfig config,
      Producer<byte[], byte[]> producer,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this(
        config,
        producer,
        new KafkaConsumer<>(
            consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        scheduler,
        clock);
  }

  BudgetLedger(
      WorkerConfig config,
      Producer<byte[], byte[]> producer,
      Consumer<byte[], byte[]> consumer,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.settings = config.budgets();
    this.consumer = consumer;
    this.scheduler = scheduler;
    this.clock = clock;
    this.workerId = config.workerId();
    this.writer =
        new BackgroundSender(
            producer, "budget-writer", Math.max(1_000, config.intake().maxInFlight() * 2));
    this.thread = new Thread(this::run, "budget-ledger");
    thread.setDaemon(true);
    thread.start();
  }

  /** The consumer reads the ledger without a group: every worker reads all of it. */
  static Properties consumerProperties(WorkerConfig config) {
    Properties p = new Properties();
    config
        .kafka()
        .clientProperties()
        .forEach(
            (k, v) -> {
              if (ConsumerConfig.configNames().contains(k)) {
                p.put(k, v);
              }
            });
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-budgets");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Decisions wait on this consumer: fetch as soon as a record is there.
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    return p;
  }

  @Override
  public CompletableFuture<BudgetDecision> reserve(JobRequest job, BigDecimal amountUsd) {
    TenantBudget limits = settings.of(job.tenant()).orElse(null);
    if (limits == null) {
      return CompletableFuture.completedFuture(BudgetDecision.unlimited());
    }
    String requestId = UUID.randomUUID().toString();
    String reservationId = BudgetEntry.reservationId(job.jobId(), job.attempt());
    CompletableFuture<BudgetDecision> decision = new CompletableFuture<>();
    pending.put(requestId, decision);
    BudgetEntry entry =
        new BudgetEntry(
            1,
            BudgetEntry.Kind.RESERVE,
            job.tenant(),
            reservationId,
            requestId,
            job.jobId(),
            job.attempt(),
            amountUsd,
            limits.dailyUsd().orElse(null),
            limits.monthlyUsd().orElse(null),
            clock.instant(),
            workerId);
    append(
        entry,
        error -> undecided(requestId, "the budget ledger could not be written (" + error + ")"));
    scheduler.schedule(
        () -> {
          if (undecided(requestId, "no budget decision within " + settings.decisionTimeout())) {
            // The ledger may still grant it later: release it, so an unused reservation never holds
            // budget.
            append(settlement(job, BigDecimal.ZERO), error -> {});
          }
        },
        settings.decisionTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    return decision;
  }

  /**
   * Settles every ended job of a tenant with a budget, not only those this worker reserved for: a
   * job resumed from its saved state after its first owner stopped ends here without reserving
   * again, and its reservation must still be replaced. A settlement the ledger never granted is
   * ignored.
   */
  @Override
  public void settle(JobRequest job, BigDecimal actualUsd) {
    if (settings.of(job.tenant()).isPresent()) {
      append(
          settlement(job, actualUsd),
          error ->
              log.warn(
                  "job {}: its budget settlement could not be written ({}); its estimate stays reserved",
                  job.jobId(),
                  error));
    }
  }

  private BudgetEntry settlement(JobRequest job, BigDecimal actualUsd) {
    return new BudgetEntry(
        1,
        BudgetEntry.Kind.SETTLE,
        job.tenant(),
        BudgetEntry.reservationId(job.jobId(), job.attempt()),
        null,
        job.jobId(),
        job.attempt(),
        actualUsd,
        null,
        null,
        clock.instant(),
        workerId);
  }

  private boolean undecided(String requestId, String reason) {
    CompletableFuture<BudgetDecision> waiting = pending.remove(requestId);
    return waiting != null
        && waiting.complete(new BudgetDecision(BudgetDecision.Outcome.UNAVAILABLE, reason));
  }

  private void append(BudgetEntry entry, java.util.function.Consumer<String> onError) {
    byte[] value;
    try {
      value = Json.mapper().writeValueAsBytes(entry);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a budget entry", e);
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            settings.topic(), entry.tenant().getBytes(StandardCharsets.UTF_8), value);
    boolean queued =
        writer.send(
            record,
            (metadata, error) -> {
              if (error != null) {
                onError.accept(error.toString());
              }
            });
    if (!queued) {
      onError.accept("too many budget records waiting to be written");
    }
  }

  // ---- the ledger thread ------------------------------------------------------------------------

  private void run() {
    try {
      List<TopicPartition> partitions = List.of();
      while (running && partitions.isEmpty()) {
        partitions =
            consumer.partitionsFor(settings.topic(), Duration.ofSeconds(5)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        if (partitions.isEmpty()) {
          log.error(
              "budget topic {} does not exist; jobs of tenants with budgets fail with budget_unavailable"
                  + " until it does (bin/imagefleet topics creates it)",
              settings.topic());
          if (stopRequested.await(5, TimeUnit.SECONDS)) {
            return;
          }
        }
      }
      consumer.assign(partitions);
      seekToStartOfDecidingWindow(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          apply(record);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      log.error("budget ledger stopped; reservations will fail with budget_unavailable", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
      pending.keySet().forEach(id -> undecided(id, "the budget ledger stopped"));
      stopped.countDown();
    }
  }

  private void seekToStartOfDecidingWindow(List<TopicPartition> partitions) {
    Instant from = BudgetBook.decidingWindowStart(clock.instant());
    Map<TopicPartition, Long> at = new HashMap<>();
    partitions.forEach(p -> at.put(p, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(at, Duration.ofSeconds(30));
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp offset = found.get(p);
      consumer.seek(p, offset != null ? offset.offset() : ends.get(p));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    BudgetEntry entry;
    try {
      entry = BudgetEntry.read(record.value());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "unreadable budget record at {}-{}@{} skipped",
          record.topic(),
          record.partition(),
          record.offset());
      return;
    }
    if (!entry.hasSaneAmounts()) {
      log.warn(
          "budget record at {}-{}@{} with an amount out of range skipped",
          record.topic(),
          record.partition(),
          record.offset());
      return;
    }
    book.apply(entry)
        .ifPresent(
            decision -> {
              if (entry.requestId() != null) {
                CompletableFuture<BudgetDecision> waiting = pending.remove(entry.requestId());
                if (waiting != null) {
                  waiting.complete(decision);
                }
              }
            });
  }

  @Override
  public void close() {
    running = false;
    stopRequested.countDown();
    consumer.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        log.warn("budget ledger did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.close(); // queued settlements reach the producer before it closes
  }
}
