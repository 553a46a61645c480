package io.imagefleet.cli;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet replay}: runs jobs again from a point in the jobs topic.
 *
 * <p>Plain replay moves the workers' group back: jobs that already ended are skipped (nothing is
 * paid, no event is published again: their endings are on the events topic already), jobs whose
 * task was accepted but did not end are resumed, and jobs never started run. {@code --reprocess}
 * republishes the jobs in the range as new attempts instead: each runs once more, with one new
 * task.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replays the jobs topic from a time or offset, for a consumer group.",
      "Without --reprocess: moves the group's offsets (the group must have no live members); jobs"
          + " that already ended are skipped, nothing is paid twice. With --reprocess:"
          + " republishes each job in [--from, --to) as its next attempt, so each runs exactly once"
          + " more. Prints what it will do first; --dry-run stops there.",
      "Example: imagefleet replay -g imagefleet-workers --from 2026-11-24T08:00:00Z",
      "Example: imagefleet replay -g imagefleet-workers --from earliest --reprocess"
    })
final class ReplayCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = {"-g", "--group"},
      required = true,
      description = "The workers' consumer group (kafka.group.id).")
  String group;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "TIME|OFFSET|earliest",
      description =
          "ISO-8601 time (2026-11-24T08:00:00Z), an offset for every partition, or earliest.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME|OFFSET",
      description = "End of the range (exclusive); with --reprocess only.")
  String to;

  @Option(
      names = "--reprocess",
      description = "Run the jobs again as new attempts instead of skipping ended ones.")
  boolean reprocess;

  @Option(
      names = {"-t", "--topic"},
      defaultValue = Topics.JOBS,
      description = "Jobs topic.")
  String topic;

  @Option(
      names = "--state-topic",
      defaultValue = Topics.JOB_STATE,
      description = "Job-state topic.")
  String stateTopic;

  @Option(
      names = "--wait-for-empty",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "Wait up to this long for the group's members to leave instead of refusing (e.g. 5m).")
  String waitForEmpty;

  @Option(names = "--dry-run", description = "Print the plan only.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    if (to != null && !reprocess) {
      throw new UserError(
          "--to only applies with --reprocess: a moved group consumes to the end of the topic");
    }
    Properties client = kafka.connect();
    try (var consumer =
        new KafkaConsumer<>(
            plain(client), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = TopicPartitions.of(consumer, topic);
      Map<TopicPartition, Long> start = resolve(consumer, partitions, from, true);
      return reprocess
          ? reprocess(client, consumer, partitions, start)
          : moveGroup(client, partitions, start);
    }
  }

  private int moveGroup(
      Properties client, List<TopicPartition> partitions, Map<TopicPartition, Long> start)
      throws Exception {
    try (Admin admin = Admin.create(adminProperties(client))) {
      Map<TopicPartition, OffsetAndMetadata> current =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      System.out.println("replay of " + topic + " for group " + group + ":");
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata now = current.get(tp);
        System.out.printf(
            "  %s: %s -> %d%n", tp, now == null ? "(none)" : now.offset(), start.get(tp));
      }
      System.out.println(
          "jobs that already ended are skipped (no new task, no new event); "
              + "accepted but unfinished ones are resumed; the rest run.");
      if (dryRun) {
        return 0;
      }
      awaitEmpty(admin);
      Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
      start.forEach((tp, offset) -> target.put(tp, new OffsetAndMetadata(offset)));
      admin.alterConsumerGroupOffsets(group, target).all().get();
      System.out.println("group " + group + " moved; start the workers to replay");
      return 0;
    }
  }

  /**
   * Refuses (or waits) while the group has live members: they would commit over the new offsets.
   */
  private void awaitEmpty(Admin admin) throws Exception {
    Duration wait = ConfigLoader.parseDuration("--wait-for-empty", waitForEmpty);
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      if (d.members().isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new UserError(
            "group "
                + group
                + " has "
                + d.members().size()
                + " live member(s) ("
                + d.members().stream().map(m -> m.clientId() + "@" + m.host()).toList()
                + "): stop the workers first "
                + "(they would overwrite the new offsets), or pass --wait-for-empty 5m to wait for them to leave");
      }
      Thread.sleep(1000); // a CLI waiting for operators to act; no job is on this thread
    }
  }

  private int reprocess(
      Properties client,
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> start)
      throws Exception {
    Map<TopicPartition, Long> end =
        to == null ? consumer.endOffsets(partitions) : resolve(consumer, partitions, to, false);
    Map<String, JobRequest> latest = new TreeMap<>();
    consumer.assign(partitions);
    start.forEach(consumer::seek);
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))
            || r.value() == null) {
          continue;
        }
        try {
          JobRequest job = JobCodec.decode(r.value());
          latest.merge(job.jobId(), job, (a, b) -> b.attempt() >= a.attempt() ? b : a);
        } catch (RuntimeException undecodable) {
          // not a job: it went to the dead-letter topic the first time; dlq redrive handles those
        }
      }
    }
    Map<String, Integer> attempts = lastAttempts(client);
    List<JobRequest> again = new ArrayList<>();
    latest
        .values()
        .forEach(
            job ->
                again.add(
                    job.withAttempt(
                        Math.max(job.attempt(), attempts.getOrDefault(job.jobId(), 0)) + 1)));
    System.out.println(
        "reprocess: "
            + again.size()
            + " job(s) from "
            + topic
            + " ["
            + from
            + ", "
            + (to == null ? "end" : to)
            + ") will run again as new attempts:");
    again.stream()
        .limit(20)
        .forEach(j -> System.out.println("  " + j.jobId() + " -> attempt " + j.attempt()));
    if (again.size() > 20) {
      System.out.println("  ...");
    }
    if (dryRun || again.isEmpty()) {
      return 0;
    }
    try (var producer = DurableProducer.open(client)) {
      for (JobRequest job : again) {
        producer.send(
            new ProducerRecord<>(
                topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)));
      }
      producer.flush();
    } catch (KafkaException e) {
      throw new UserError("republishing failed: " + e.getMessage());
    }
    System.out.println(again.size() + " job(s) republished");
    return 0;
  }

  /** The highest attempt the fleet has seen of each job, from the job-state topic. */
  private Map<String, Integer> lastAttempts(Properties client) {
    Map<String, Integer> attempts = new HashMap<>();
    try {
      for (ConsumerRecord<byte[], byte[]> r : DlqCommand.readAll(client, stateTopic)) {
        var state = StateCodec.decode(r.value());
        if (state != null) {
          attempts.merge(state.jobId(), state.attempt(), Math::max);
        }
      }
    } catch (UserError noStateTopic) {
      // no state yet: attempts come from the jobs themselves
    }
    return attempts;
  }

  private static Map<TopicPartition, Long> resolve(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      String point,
      boolean isStart) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (point.equalsIgnoreCase("earliest") || point.equalsIgnoreCase("beginning")) {
      return consumer.beginningOffsets(partitions);
    }
    if (point.matches("\\d+")) {
      long o = Long.parseLong(point);
      partitions.forEach(tp -> offsets.put(tp, o));
      return offsets;
    }
    Instant time;
    try {
      time = Instant.parse(point);
    } catch (RuntimeException e) {
      throw new UserError(
          (isStart ? "--from" : "--to")
              + " must be an ISO-8601 time like 2026-11-24T08:00:00Z, "
              + "an offset, or earliest; was '"
              + point
              + "'");
    }
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    partitions.forEach(
        tp -> offsets.put(tp, found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
    return offsets;
  }

  private static Properties plain(Properties client) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }

  private static Properties adminProperties(Properties client) {
    Properties p = new Properties();
    client.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(String.valueOf(k))) {
            p.put(k, v);
          }
        });
    return p;
  }
}
