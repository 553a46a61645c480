package io.imagefleet.bench;

import io.imagefleet.bench.BenchEnvironment.RunTopics;
import io.imagefleet.bench.harness.EventsReader;
import io.imagefleet.bench.harness.EventsReader.DeadLetter;
import io.imagefleet.contracts.JobStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows a contender's events through the harness's {@link EventsReader}, the way a downstream
 * team reads them ({@code read_committed}), and keeps per job: when it was accepted (the event's
 * {@code occurred_at}), when its terminal event reached this reader, and its upstream task.
 * "Reached the reader" is the honest end of a job for its consumers: it includes the producer's
 * linger and, for a transactional worker, the wait for the transaction that carries the event to
 * commit.
 *
 * <p>Only four fields of each event are read, with a streaming parser ({@link EventFields}): the
 * reader shares the benchmark JVM's cores with the broker and the simulator and must stay cheap.
 * Fed by the reader's thread; read by the run's.
 */
final class EventCollector implements EventsReader.Listener<EventFields>, AutoCloseable {
  private final Map<String, JobTrace> traces = new ConcurrentHashMap<>();
  private final AtomicInteger terminals = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private EventsReader<EventFields> reader;

  /** What the events of one job tell. */
  static final class JobTrace {
    volatile Instant acceptedAt;

    /**
     * The SUBMITTED event's {@code occurred_at}: the task's id is recorded (imagefleet:
     * acknowledged).
     */
    volatile Instant submittedAt;

    /** The terminal event's own {@code occurred_at}: when the worker decided the job's end. */
    volatile Instant decidedAt;

    volatile Instant endedAt;
    volatile String taskId;
    volatile JobStatus status;
  }

  private EventCollector() {}

  static EventCollector start(Properties client, RunTopics topics) {
    EventCollector collector = new EventCollector();
    collector.reader =
        EventsReader.start(
            client,
            new EventsReader.Topics(topics.events(), topics.partitions(), topics.deadLetters()),
            EventFields::read,
            collector);
    return collector;
  }

  @Override
  public void onEvent(EventFields event) {
    Instant seen = Instant.now();
    if (event.jobId() == null || event.status() == null) {
      return;
    }
    JobTrace trace = traces.computeIfAbsent(event.jobId(), id -> new JobTrace());
    if (event.taskId() != null) {
      trace.taskId = event.taskId();
    }
    if (event.status() == JobStatus.ACCEPTED && trace.acceptedAt == null) {
      trace.acceptedAt = event.occurredAt();
    }
    if (event.status() == JobStatus.SUBMITTED && trace.submittedAt == null) {
      trace.submittedAt = event.occurredAt();
    }
    if (event.status().isTerminal()) {
      if (trace.status != null) {
        duplicates.incrementAndGet();
        return;
      }
      trace.endedAt = seen;
      trace.decidedAt = event.occurredAt();
      trace.status = event.status();
      terminals.incrementAndGet();
    }
  }

  @Override
  public void onDeadLetter(DeadLetter letter) {
    // The feeder publishes well-formed jobs only; a dead letter would show as a job that never
    // ends.
  }

  int terminals() {
    return terminals.get();
  }

  int duplicateTerminals() {
    return duplicates.get();
  }

  Map<String, JobTrace> traces() {
    return traces;
  }

  @Override
  public void close() {
    reader.close();
  }
}
