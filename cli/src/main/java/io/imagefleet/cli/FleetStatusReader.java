package io.imagefleet.cli;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.metrics.WorkerStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Gathers a {@link FleetSnapshot} from anywhere that reaches the cluster: the group's members and
 * partitions and the lag through the Admin API; worker statuses from the compacted workers topic
 * (their heartbeats), refreshed from each worker's own {@code /status} when reachable from here;
 * recent failures from the tail of the events topic. Joins no consumer group and commits nothing.
 */
final class FleetStatusReader {
  private static final Duration ENDPOINT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

  record Request(
      String group,
      String jobsTopic,
      String eventsTopic,
      String workersTopic,
      int failures,
      int scanPerPartition,
      boolean askEndpoints) {}

  private final Properties client;
  private final Clock clock;

  /** The workers' {@code ops.token}, or null when their endpoints are open. */
  private final String opsToken;

  FleetStatusReader(Properties client, Clock clock, String opsToken) {
    this.client = client;
    this.clock = clock;
    this.opsToken = opsToken == null || opsToken.isBlank() ? null : opsToken;
  }

  FleetSnapshot read(Request r) {
    try (Admin admin = Admin.create(client)) {
      ConsumerGroupDescription group = describeGroup(admin, r.group());
      List<FleetSnapshot.Member> members =
          group == null
              ? List.of()
              : group.members().stream()
                  .map(
                      m ->
                          new FleetSnapshot.Member(
                              m.clientId(),
                              m.host(),
                              m.assignment().topicPartitions().stream()
                                  .filter(tp -> tp.topic().equals(r.jobsTopic()))
                                  .map(TopicPartition::partition)
                                  .sorted()
                                  .toList()))
                  .sorted(Comparator.comparing(FleetSnapshot.Member::clientId))
                  .toList();
      Map<Integer, FleetSnapshot.Lag> lag = lag(admin, r.group(), r.jobsTopic());
      List<FleetSnapshot.Worker> workers = refresh(heartbeats(r.workersTopic()), r.askEndpoints());
      Instant now = clock.instant();
      Failures failures = recentFailures(r.eventsTopic(), r.failures(), r.scanPerPartition());
      return new FleetSnapshot(
          r.group(),
          group == null ? "no such group" : group.groupState().toString(),
          r.jobsTopic(),
          members,
          lag,
          workers,
          failures.events(),
          failures.scanned(),
          now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    } catch (ExecutionException e) {
      throw new UserError("Kafka refused a query: " + e.getCause().getMessage());
    }
  }

  private static ConsumerGroupDescription describeGroup(Admin admin, String group)
      throws InterruptedException, ExecutionException {
    try {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return null;
      }
      throw e;
    }
  }

  private static Map<Integer, FleetSnapshot.Lag> lag(Admin admin, String group, String topic)
      throws InterruptedException, ExecutionException {
    TopicDescription description;
    try {
      description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Map.of();
      }
      throw e;
    }
    List<TopicPartition> partitions =
        description.partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin
            .listOffsets(
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
            .all()
            .get();
    Map<TopicPartition, ListOffsetsResultInfo> starts =
        admin
            .listOffsets(
                partitions.stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest())))
            .all()
            .get();
    Map<Integer, FleetSnapshot.Lag> lag = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata c = committed.get(tp);
      lag.put(
          tp.partition(),
          new FleetSnapshot.Lag(
              Optional.ofNullable(c).map(OffsetAndMetadata::offset),
              starts.get(tp).offset(),
              ends.get(tp).offset()));
    }
    return lag;
  }

  /** The latest heartbeat of every worker on the compacted topic (tombstones remove a worker). */
  private List<FleetSnapshot.Worker> heartbeats(String topic) {
    Map<String, FleetSnapshot.Worker> latest = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readTail(topic, Integer.MAX_VALUE)) {
      String id = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
      if (record.value() == null) {
        latest.remove(id);
        continue;
      }
      try {
        WorkerStatus status = WorkerStatus.fromJson(record.value());
        latest.put(id, new FleetSnapshot.Worker(status, false, status.updatedAt()));
      } catch (RuntimeException e) {
        // not a heartbeat this version understands: skip it
      }
    }
    return new ArrayList<>(latest.values());
  }

  /**
   * Asks each worker's endpoint for its status, in parallel; keeps the heartbeat where it does not
   * answer.
   */
  private List<FleetSnapshot.Worker> refresh(
      List<FleetSnapshot.Worker> workers, boolean askEndpoints) {
    if (!askEndpoints || workers.isEmpty()) {
      return workers;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(ENDPOINT_TIMEOUT).build();
    List<CompletableFuture<FleetSnapshot.Worker>> answers =
        workers.stream().map(w -> ask(http, w)).toList();
    List<FleetSnapshot.Worker> result = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      result.add(
          answers
              .get(i)
              .completeOnTimeout(
                  workers.get(i), ENDPOINT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
              .join());
    }
    return result;
  }

  /**
   * The worker's live status from its endpoint, or {@code known} if it does not answer from here.
   */
  private CompletableFuture<FleetSnapshot.Worker> ask(HttpClient http, FleetSnapshot.Worker known) {
    try {
      URI url = URI.create(known.status().opsUrl()).resolve("/status");
      HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(ENDPOINT_TIMEOUT).GET();
      if (opsToken != null) {
        request.header("Authorization", "Bearer " + opsToken);
      }
      return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
          .thenApply(
              resp ->
                  resp.statusCode() == 200
                      ? new FleetSnapshot.Worker(
                          WorkerStatus.fromJson(resp.body()), true, clock.instant())
                      : known)
          .exceptionally(error -> known);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(known);
    }
  }

  private record Failures(List<StatusEvent> events, int scanned) {}

  private Failures recentFailures(String topic, int count, int perPartition) {
    List<StatusEvent> failed = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readTail(topic, perPartition)) {
      try {
        StatusEvent e = JobCodec.decodeEvent(record.value());
        if (e.status() == JobStatus.FAILED) {
          failed.add(e);
        }
      } catch (RuntimeException e) {
        // an unreadable event: not ours to judge here
      }
    }
    failed.sort(Comparator.comparing(StatusEvent::occurredAt).reversed());
    return new Failures(failed.subList(0, Math.min(count, failed.size())), perPartition);
  }

  /**
   * The last {@code perPartition} records of every partition of {@code topic}, read to the end
   * once.
   */
  private List<ConsumerRecord<byte[], byte[]>> readTail(String topic, int perPartition) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      if (parts.isEmpty()) {
        return records;
      }
      consumer.assign(parts);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      for (TopicPartition tp : parts) {
        consumer.seek(
            tp, Math.max(begin.get(tp), end.get(tp) - Math.min(perPartition, end.get(tp))));
      }
      Instant deadline = clock.instant().plus(READ_TIMEOUT);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && clock.instant().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    } catch (TimeoutException e) {
      // the topic does not exist or does not answer: nothing to show from it
    }
    return records;
  }
}
