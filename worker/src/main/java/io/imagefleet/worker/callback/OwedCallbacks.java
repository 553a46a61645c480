package io.imagefleet.worker.callback;

import io.imagefleet.worker.tenant.TenantDirectory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the callbacks owed in the partitions of the owed callbacks topic that this worker owns
 * (the workers share them as one consumer group), so that a callback owed by a worker that stopped
 * or crashed is finished by whichever worker takes its partition over.
 *
 * <p>Each partition's state is rebuilt from its records: the latest step of each {@code webhook-id}
 * is where that delivery stands. Nothing is attempted in a partition until it has been read up to
 * the end it had when it was assigned, so no attempt is made on a step that was already superseded.
 * Each attempt's step is written back to the same key before the next is due, so a restart never
 * resets the schedule. The committed offset of a partition is its oldest step still owed, so a new
 * owner reads every delivery that is not finished.
 *
 * <p>A worker that lost the partition while an attempt was running may still write that attempt's
 * step. A step is taken only if it follows the state the owner knows (its {@code follows} offset);
 * a final one (delivered, failed) is taken whenever it is of the current generation, since it says
 * what happened at the receiver. The delivery's {@code webhook-id} is the same on every attempt, so
 * when two workers did attempt it, the receiver drops the repeat.
 *
 * <p>Threads: one thread owns the consumer and every partition's state; attempts run on the
 * dispatcher's senders, and their written steps come back through a queue. At {@code
 * callbacks.max-pending} owed callbacks in memory it pauses its partitions.
 */
public final class OwedCallbacks implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OwedCallbacks.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  /** Finished deliveries remembered per partition, to recognise late steps of a former owner. */
  private static final int FINISHED_REMEMBERED = 50_000;

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final CallbackDispatcher dispatcher;
  private final DeliveryRecorder recorder;
  private final int maxPending;
  private final Clock clock;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private final Queue<Step> steps = new ConcurrentLinkedQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile String failure;
  private Instant lastCommit = Instant.EPOCH;

  /** An attempt's step as written ({@code offset}), or not written ({@code offset} -1). */
  private record Step(TopicPartition partition, String webhookId, OwedCallback next, long offset) {}

  /** A delivery still owed: its latest step and where it was read. */
  static final class Entry {
    final OwedCallback owed;
    final long offset;
    boolean inFlight;

    Entry(OwedCallback owed, long offset) {
      this.owed = owed;
      this.offset = offset;
    }
  }

  /** The deliveries of one partition. Owned by the loop thread. */
  static final class PartitionState {
    final long endAtAssignment;
    boolean caughtUp;
    final Map<String, Entry> owed = new HashMap<>();
    final Map<String, Integer> finished =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > FINISHED_REMEMBERED;
          }
        };

    PartitionState(long endAtAssignment) {
      this.endAtAssignment = endAtAssignment;
    }

    /** Takes the step read (or written) at {@code offset}, if it is one to take. */
    void apply(long offset, OwedCallback step) {
      Entry current = owed.get(step.webhookId());
      Integer finishedGeneration = finished.get(step.webhookId());
      if (current != null && offset <= current.offset) {
        return; // read back what was already taken when written
      }
      boolean take;
      if (step.follows() < 0) {
        // a new delivery or an operator's redelivery
        take =
            (current == null || step.generation() >= current.owed.generation())
                && (finishedGeneration == null || step.generation() > finishedGeneration);
      } else if (step.state().isFinal()) {
        take =
            current != null
                ? step.generation() >= current.owed.generation()
                : finishedGeneration == null || step.generation() > finishedGeneration;
      } else {
        take =
            current != null
                ? step.follows() == current.offset
                : finishedGeneration == null || step.generation() > finishedGeneration;
      }
      if (!take) {
        return;
      }
      if (step.state().isFinal()) {
        owed.remove(step.webhookId());
        finished.put(step.webhookId(), step.generation());
      } else {
        owed.put(step.webhookId(), new Entry(step, offset));
      }
    }

    /** Where a new owner must start reading: the oldest delivery still owed, else {@code end}. */
    long restartOffset(long end) {
      return owed.values().stream().mapToLong(e -> e.offset).min().orElse(end);
    }
  }

  public OwedCallbacks(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      String owedTopic,
      String outcomesTopic,
      CallbackDispatcher dispatcher,
      int maxPending,
      Clock clock,
      TenantDirectory tenants) {
    this.consumer = consumer;
    this.producer = producer;
    this.topic = owedTopic;
    this.dispatcher = dispatcher;
    this.recorder = new DeliveryRecorder(producer, outcomesTopic, tenants);
    this.maxPending = maxPending;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          read(record);
        }
        takeWrittenSteps();
        noteCaughtUp();
        attemptDue();
        bound();
        commitEvery(COMMIT_INTERVAL);
      }
    } catch (WakeupException stopping) {
      // close() asked
    } catch (RuntimeException e) {
      failure = "callback deliveries stopped: " + e;
      log.error("callback deliveries stopped: {}", e.toString(), e);
    } finally {
      try {
        commitNow(partitions.keySet());
      } catch (RuntimeException e) {
        log.warn("last commit of callback deliveries failed ({})", e.toString());
      }
      consumer.close(Duration.ofSeconds(5));
      ended.countDown();
    }
  }

  private void read(ConsumerRecord<byte[], byte[]> record) {
    PartitionState p = partitions.get(new TopicPartition(record.topic(), record.partition()));
    if (p == null || record.value() == null) {
      return;
    }
    try {
      p.apply(record.offset(), OwedCallback.decode(record.value()));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "skipping an unreadable owed callback at {}-{}@{} ({})",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getClass().getSimpleName());
    }
  }

  private void takeWrittenSteps() {
    Step step;
    while ((step = steps.poll()) != null) {
      PartitionState p = partitions.get(step.partition());
      if (step.offset() < 0) {
        if (p != null) {
          Entry e = p.owed.get(step.webhookId());
          if (e != null) {
            e.inFlight = false; // not written: attempted again (same webhook-id)
          }
        }
        continue;
      }
      if (step.next().state().isFinal()) {
        recorder.record(CallbackDispatcher.outcome(step.next()));
      }
      if (p != null) {
        p.apply(step.offset(), step.next());
      }
    }
  }

  private void noteCaughtUp() {
    partitions.forEach(
        (tp, p) -> {
          if (!p.caughtUp && consumer.position(tp) >= p.endAtAssignment) {
            p.caughtUp = true;
          }
        });
  }

  private void attemptDue() {
    Instant now = clock.instant();
    partitions.forEach(
        (tp, p) -> {
          if (!p.caughtUp) {
            return;
          }
          for (Entry e : p.owed.values()) {
            if (!e.inFlight && !e.owed.nextAttemptAt().isAfter(now)) {
              e.inFlight = true;
              attempt(tp, e);
            }
          }
        });
  }

  private void attempt(TopicPartition tp, Entry e) {
    String id = e.owed.webhookId();
    dispatcher
        .attempt(e.owed, e.offset)
        .whenComplete(
            (next, error) -> {
              if (error != null) {
                steps.add(new Step(tp, id, null, -1));
                return;
              }
              try {
                producer.send(
                    next.toRecord(topic),
                    (metadata, sendError) ->
                        steps.add(
                            new Step(tp, id, next, sendError == null ? metadata.offset() : -1)));
              } catch (KafkaException sendFailed) {
                steps.add(new Step(tp, id, next, -1));
              }
            });
  }

  private int pending() {
    return partitions.values().stream().mapToInt(p -> p.owed.size()).sum();
  }

  /** Bounded memory: no more reading while this worker holds {@code maxPending} owed callbacks. */
  private void bound() {
    Set<TopicPartition> assigned = partitions.keySet();
    if (pending() >= maxPending) {
      consumer.pause(assigned);
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private void commitEvery(Duration interval) {
    Instant now = clock.instant();
    if (Duration.between(lastCommit, now).compareTo(interval) >= 0) {
      lastCommit = now;
      Map<TopicPartition, OffsetAndMetadata> offsets = offsets(partitions.keySet());
      if (!offsets.isEmpty()) {
        consumer.commitAsync(
            offsets,
            (done, error) -> {
              if (error != null) {
                log.debug("committing callback deliveries failed ({})", error.toString());
              }
            });
      }
    }
  }

  private void commitNow(Collection<TopicPartition> which) {
    Map<TopicPartition, OffsetAndMetadata> offsets = offsets(which);
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> offsets(Collection<TopicPartition> which) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : which) {
      PartitionState p = partitions.get(tp);
      if (p != null && p.caughtUp) {
        offsets.put(tp, new OffsetAndMetadata(p.restartOffset(consumer.position(tp))));
      }
    }
    return offsets;
  }

  /**
   * Why the delivery loop ended without being asked to, if it did: this worker delivers no more
   * callbacks, and readiness says so.
   */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      try {
        commitNow(revoked);
      } catch (RuntimeException e) {
        log.warn("commit of revoked callback partitions failed ({})", e.toString());
      }
      revoked.forEach(partitions::remove);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      lost.forEach(partitions::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (assigned.isEmpty()) {
        return;
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(new HashSet<>(assigned));
      for (TopicPartition tp : assigned) {
        partitions.put(tp, new PartitionState(ends.getOrDefault(tp, 0L)));
      }
      log.info("delivering the callbacks owed in {} partition(s)", new ArrayList<>(assigned));
    }
  }

  /** Stops reading; attempts under way finish on the dispatcher's threads or are dropped. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      ended.await(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
