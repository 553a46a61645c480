package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.UndecodableJobException;
import io.imagefleet.worker.config.IntakeSettings;
import io.imagefleet.worker.config.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop. One thread owns the {@link Consumer}: it polls, hands records to the
 * {@link JobHandler}, applies completions that other threads leave in a queue (the "mailbox"),
 * commits each partition's contiguous completed prefix, and pauses intake at the in-flight cap.
 * It never waits on HTTP, disk or another thread's lock, so it keeps polling whatever the upstream
 * does and is never dropped from the group for exceeding {@code max.poll.interval.ms}.
 *
 * <p>Bounds: at most {@code maxInFlight} jobs run at once (records fetched past the cap are handed
 * back with {@code seek} and the partitions paused); the completion queue holds at most one entry
 * per running job. Other threads only call {@link #stop()}.
 */
public final class JobIntake implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(JobIntake.class);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final IntakeSettings settings;
  private final JobHandler processor;
  private final DeadLetterPublisher deadLetters;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  // Shared with job threads.
  private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean stopping;
  private volatile int assignedPartitions;
  private final CountDownLatch finished = new CountDownLatch(1);

  // Owned by the intake thread.
  private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();
  private boolean paused;
  private Instant lastCommit = Instant.EPOCH;

  public JobIntake(WorkerConfig config, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
      JobHandler processor, ScheduledExecutorService scheduler, Clock clock) {
    this.consumer = consumer;
    this.topic = config.topics().jobs();
    this.settings = config.intake();
    this.processor = processor;
    this.deadLetters = new DeadLetterPublisher(producer, config.topics().deadLetters(), config.workerId(), clock);
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** Jobs running now, including jobs of partitions this worker no longer owns. */
  public int inFlight() {
    return running.get();
  }

  /** Partitions this worker owns now. */
  public int assignedPartitions() {
    return assignedPartitions;
  }

  /** Asks the loop to stop taking jobs, let in-flight ones finish within the grace, commit and close. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /** Waits until the loop has committed and closed the consumer. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      subscribe();
      while (!stopping) {
        try {
          step();
        } catch (WakeupException e) {
          // stop() was called; the loop condition ends the loop
        }
      }
      drain();
    } catch (RuntimeException e) {
      log.error("intake loop failed; in-flight jobs are released uncommitted to the next owner", e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(10));
      } finally {
        finished.countDown();
      }
    }
  }

  /** Joins the group. Package-private with {@link #step()} so tests can drive the loop on their own thread. */
  void subscribe() {
    consumer.subscribe(List.of(topic), new Rebalance());
  }

  /** One turn of the loop: completions, commit, backpressure, poll, dispatch. */
  void step() {
    applyCompletions();
    commitIfDue(false);
    applyBackpressure();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
    dispatch(records);
  }

  /** Shutdown: take nothing new; give in-flight jobs the grace period; commit what completed. */
  private void drain() {
    consumer.pause(consumer.assignment());
    paused = true;
    Instant deadline = clock.instant().plus(settings.shutdownGrace());
    log.info("stopping intake: {} job(s) in flight, waiting up to {}", running.get(), settings.shutdownGrace());
    while (running.get() > 0 && clock.instant().isBefore(deadline)) {
      applyCompletions();
      commitIfDue(false);
      try {
        consumer.poll(settings.pollTimeout()); // keeps the membership alive; partitions are paused
      } catch (WakeupException e) {
        // a second stop(): keep draining until the deadline
      }
    }
    applyCompletions();
    commitIfDue(true);
    if (running.get() > 0) {
      log.warn("released {} unfinished job(s) uncommitted: the next owner of their partitions runs them", running.get());
    }
  }

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      PartitionOffsets offsets = partitions.get(tp);
      List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
      for (ConsumerRecord<byte[], byte[]> record : batch) {
        if (running.get() >= settings.maxInFlight() || offsets == null) {
          // Over the cap: hand the rest back; it is fetched again after resume().
          consumer.seek(tp, record.offset());
          break;
        }
        offsets.track(record.offset());
        running.incrementAndGet();
        handle(record, offsets);
      }
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, PartitionOffsets offsets) {
    CompletableFuture<Void> outcome;
    try {
      if (record.value() == null) {
        throw new UndecodableJobException("record has no value (tombstone)");
      }
      JobRequest job = JobCodec.decode(record.value());
      if (job.jobId() == null || job.jobId().isBlank()) {
        // Without a job id there is no key to publish a FAILED event under: the record itself is the answer.
        throw new UndecodableJobException("job request has no job_id");
      }
      outcome = processor.process(job)
          .exceptionallyCompose(bug -> deadLetter(record, "worker_error: " + describe(bug), bug));
    } catch (UndecodableJobException e) {
      outcome = deadLetter(record, "undecodable: " + e.getMessage(), e);
    } catch (RuntimeException bug) {
      outcome = deadLetter(record, "worker_error: " + describe(bug), bug);
    }
    outcome.whenComplete((ok, error) -> {
      completions.add(new Completion(offsets, record.offset()));
      running.decrementAndGet();
    });
  }

  /** Dead-letters the record; a failed send is tried again, since the record may not be committed without it. */
  private CompletableFuture<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
    log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
    return deadLetters.publish(record, reason, error).exceptionallyCompose(sendError -> {
      log.warn("dead letter not acknowledged ({}), sending again", sendError.toString());
      CompletableFuture<Void> again = new CompletableFuture<>();
      scheduler.schedule(() -> deadLetter(record, reason, error).whenComplete((v, e) -> again.complete(null)),
          1, TimeUnit.SECONDS);
      return again;
    });
  }

  private static String describe(Throwable error) {
    Throwable e = error.getCause() != null && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private void applyCompletions() {
    Completion c;
    while ((c = completions.poll()) != null) {
      if (partitions.get(c.offsets().partition()) == c.offsets()) {
        c.offsets().complete(c.offset());
      }
    }
  }

  private void commitIfDue(boolean sync) {
    Instant now = clock.instant();
    if (!sync && Duration.between(lastCommit, now).compareTo(settings.commitInterval()) < 0) {
      return;
    }
    lastCommit = now;
    commit(partitions.values(), sync);
  }

  private void commit(Collection<PartitionOffsets> which, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    for (PartitionOffsets p : which) {
      if (p.hasNewCommit()) {
        commits.put(p.partition(), new OffsetAndMetadata(p.committable()));
        p.markCommitted(p.committable());
      }
    }
    if (commits.isEmpty()) {
      return;
    }
    if (sync) {
      try {
        consumer.commitSync(commits);
      } catch (RuntimeException e) {
        log.warn("commit failed ({}); the next owner re-runs the uncommitted jobs", e.toString());
      }
    } else {
      consumer.commitAsync(commits, (done, error) -> {
        if (error != null) {
          log.warn("commit failed ({}); will commit again", error.toString());
          commits.keySet().forEach(tp -> {
            PartitionOffsets p = partitions.get(tp);
            if (p != null) {
              p.forgetCommit();
            }
          });
        }
      });
    }
  }

  private void applyBackpressure() {
    int inFlight = running.get();
    int resumeBelow = settings.maxInFlight() - Math.max(1, settings.maxInFlight() / 20);
    if (!paused && inFlight >= settings.maxInFlight()) {
      consumer.pause(consumer.assignment());
      paused = true;
      log.debug("in-flight cap {} reached: intake paused", settings.maxInFlight());
    } else if (paused && inFlight <= resumeBelow) {
      consumer.resume(consumer.assignment());
      paused = false;
      log.debug("in-flight {} below {}: intake resumed", inFlight, resumeBelow);
    }
  }

  /** Runs on the intake thread, inside poll(). */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      applyCompletions();
      List<PartitionOffsets> leaving = revoked.stream().map(partitions::remove).filter(p -> p != null).toList();
      commit(leaving, true);
      assignedPartitions = partitions.size();
      int released = leaving.stream().mapToInt(PartitionOffsets::inFlightCount).sum();
      log.info("partitions revoked: {} ({} unfinished job(s) handed over uncommitted)", revoked, released);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      assigned.forEach(tp -> partitions.put(tp, new PartitionOffsets(tp)));
      assignedPartitions = partitions.size();
      if (paused || stopping) {
        consumer.pause(assigned);
      }
      log.info("partitions assigned: {}", assigned);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      lost.forEach(partitions::remove);
      assignedPartitions = partitions.size();
      log.warn("partitions lost: {} (not committed; the new owner re-runs their unfinished jobs)", lost);
    }
  }

  private record Completion(PartitionOffsets offsets, long offset) {}
}
