package io.imagefleet.cli;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.cli.ExitCode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Follows one job on the events topic until it ends, for {@code watch --job} and {@code submit
 * --wait}: reads the job's history first, then waits for its ending, and answers with the exit code
 * of its outcome.
 *
 * <p>Workers key every event by job id with Kafka's default partitioner, so a job's whole story is
 * on one partition, in order: only that partition is read, without a consumer group, and only
 * committed events ({@code read_committed}), the ones downstream readers see. The outcome is the
 * terminal event of the newest attempt known, so a job run again ({@code --attempt 2}) is not
 * answered by its first ending.
 *
 * <p>Notes for the person (waiting, timed out) go to {@code notes}; events to the {@link
 * EventPrinter}. Owned by the calling thread.
 */
final class JobFollower implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  private final String jobId;
  private final byte[] key;
  private final String where;
  private final PrintStream notes;
  private final Clock clock;
  private StatusEvent last;
  private int newestAttempt;

  /**
   * @param where the cluster, as the person named it, for the notes
   */
  JobFollower(
      Properties client, String topic, String jobId, String where, PrintStream notes, Clock clock) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.jobId = jobId;
    this.key = jobId.getBytes(StandardCharsets.UTF_8);
    this.where = where;
    this.notes = notes;
    this.clock = clock;
    List<TopicPartition> partitions = TopicPartitions.of(consumer, topic);
    this.partition =
        new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions.size());
    consumer.assign(List.of(partition));
  }

  /** Where the job's partition ends now: a job published after this has no event before it. */
  long endOffset() {
    return consumer.endOffsets(List.of(partition), KafkaOptions.CONNECT_TIMEOUT).get(partition);
  }

  /**
   * Prints the job's events from {@code from} (null: the oldest retained) and waits for the ending
   * of attempt {@code attempt} or a newer one.
   *
   * @param timeout zero waits for ever
   */
  ExitCode follow(Long from, int attempt, Duration timeout, EventPrinter printer) {
    Instant deadline = timeout.isZero() ? Instant.MAX : clock.instant().plus(timeout);
    newestAttempt = attempt;
    if (from == null) {
      consumer.seekToBeginning(List.of(partition));
    } else {
      consumer.seek(partition, from);
    }
    long historyEnd = endOffset();
    StatusEvent ending = null;
    while (consumer.position(partition, KafkaOptions.CONNECT_TIMEOUT) < historyEnd) {
      for (StatusEvent e : poll(printer)) {
        if (e.status().isTerminal()) {
          ending = e;
        }
      }
    }
    if (ending != null && ending.attempt() >= newestAttempt) {
      return outcome(ending);
    }
    notes.println(waiting(timeout));
    while (clock.instant().isBefore(deadline)) {
      for (StatusEvent e : poll(printer)) {
        if (e.status().isTerminal() && e.attempt() >= newestAttempt) {
          return outcome(e);
        }
      }
    }
    notes.println(
        "timed out after "
            + timeout.toSeconds()
            + " s: job "
            + jobId
            + " has not ended"
            + (last == null ? " and has no events yet" : " (last event: " + describe(last) + ")")
            + "; it may still end later: run the same command again to go on waiting.");
    return ExitCode.TIMED_OUT;
  }

  /** The job's events in the next batch, printed; the newest attempt seen is remembered. */
  private List<StatusEvent> poll(EventPrinter printer) {
    java.util.ArrayList<StatusEvent> mine = new java.util.ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
      if (!Arrays.equals(key, r.key())) {
        continue;
      }
      StatusEvent e;
      try {
        e = JobCodec.decodeEvent(r.value());
      } catch (RuntimeException unreadable) {
        notes.println(
            "(unreadable event at " + r.topic() + "-" + r.partition() + "@" + r.offset() + ")");
        continue;
      }
      if (!jobId.equals(e.jobId())) {
        continue;
      }
      printer.print(e);
      if (e.status() != JobStatus.DUPLICATE) {
        last = e;
        newestAttempt = Math.max(newestAttempt, e.attempt());
      }
      mine.add(e);
    }
    return mine;
  }

  private String waiting(Duration timeout) {
    String seen;
    if (last == null) {
      seen = "no events yet for job " + jobId + "; waiting for its end";
    } else if (last.status().isTerminal()) {
      seen =
          "job "
              + jobId
              + ": attempt "
              + last.attempt()
              + " ended "
              + last.status()
              + "; waiting for attempt "
              + newestAttempt
              + " to end";
    } else {
      seen = "job " + jobId + " is " + describe(last) + "; waiting for its end";
    }
    return seen
        + " on "
        + partition
        + " at "
        + where
        + (timeout.isZero() ? " (Ctrl-C to stop)" : " for up to " + timeout.toSeconds() + " s")
        + "...";
  }

  private static String describe(StatusEvent e) {
    return e.status()
        + (e.status() == JobStatus.RUNNING && e.progress() != null ? " " + e.progress() + "%" : "")
        + " (attempt "
        + e.attempt()
        + ")";
  }

  private static ExitCode outcome(StatusEvent ending) {
    return ending.status() == JobStatus.SUCCEEDED ? ExitCode.OK : ExitCode.FAILED;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
