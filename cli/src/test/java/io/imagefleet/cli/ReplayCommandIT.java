package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Replays against a real broker, a real worker and the simulator's count of paid tasks. */
class ReplayCommandIT {
  private static final int PARTITIONS = 3;
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String group = "group-" + id;

  @Test
  void replayPaysNothingTwiceAndReprocessRunsEachJobExactlyOnceMore() throws Exception {
    try (UpstreamSimulator simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(300)))
                .build())) {
      createTopics();
      Worker worker = Worker.start(ConfigLoader.fromMap(config(simulator), Map.of()));
      try {
        for (int i = 0; i < 10; i++) {
          send(
              JobRequest.builder("replay-" + i, "catalog", "replayed chair " + i + " " + id)
                  .quality("low")
                  .build());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> terminalEvents().size() == 10);

        String refused =
            CliRun.expecting(
                2,
                "replay",
                "-b",
                bootstrap,
                "--group",
                group,
                "--from",
                "earliest",
                "--topic",
                "jobs-" + id,
                "--state-topic",
                "state-" + id);
        assertThat(refused).contains("live member");
      } finally {
        worker.close();
      }

      String moved =
          CliRun.run(
              "replay",
              "-b",
              bootstrap,
              "--group",
              group,
              "--from",
              "earliest",
              "--topic",
              "jobs-" + id,
              "--state-topic",
              "state-" + id);
      assertThat(moved).contains("-> 0").contains("moved");
      Worker again = Worker.start(ConfigLoader.fromMap(config(simulator), Map.of()));
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> committedTotal() == 10);
        assertThat(simulator.stats().tasksCreated())
            .as("a replay pays for nothing twice")
            .isEqualTo(10);
        assertThat(terminalEvents()).as("and publishes no ending twice").hasSize(10);

        String reprocessed =
            CliRun.run(
                "replay",
                "-b",
                bootstrap,
                "--group",
                group,
                "--from",
                "earliest",
                "--reprocess",
                "--topic",
                "jobs-" + id,
                "--state-topic",
                "state-" + id);
        assertThat(reprocessed).contains("10 job(s) republished").contains("attempt 2");
        await().atMost(Duration.ofSeconds(60)).until(() -> terminalEvents().size() == 20);
        assertThat(simulator.stats().tasksCreated())
            .as("exactly one new task per job")
            .isEqualTo(20);
        assertThat(terminalEvents()).filteredOn(e -> e.attempt() == 2).hasSize(10);
      } finally {
        again.close();
      }
    }
  }

  private Map<String, String> config(UpstreamSimulator simulator) throws Exception {
    Map<String, String> c = new HashMap<>();
    c.put("worker.id", "replay-worker-" + id);
    c.put("kafka.bootstrap.servers", bootstrap);
    c.put("kafka.group.id", group);
    c.put("topics.jobs", "jobs-" + id);
    c.put("topics.events", "events-" + id);
    c.put("topics.dead-letters", "dlq-" + id);
    c.put("topics.state", "state-" + id);
    c.put("topics.workers", "workers-" + id);
    c.put("upstream.base-url", simulator.baseUrl().toString());
    c.put("upstream.allow-private-downloads", "true");
    c.put("upstream.api-key", simulator.apiKey());
    c.put("polling.min-interval", "200ms");
    c.put("storage.directory", Files.createTempDirectory("replay-images").toString());
    c.put("ops.port", "0");
    return c;
  }

  private void createTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("jobs-" + id, PARTITIONS, (short) 1),
                  new NewTopic("events-" + id, PARTITIONS, (short) 1),
                  new NewTopic("dlq-" + id, 1, (short) 1),
                  new NewTopic("state-" + id, PARTITIONS, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic("workers-" + id, 1, (short) 1)))
          .all()
          .get();
    }
  }

  private void send(JobRequest job) throws Exception {
    try (var producer =
        new KafkaProducer<>(props(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  "jobs-" + id, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)))
          .get();
    }
  }

  private List<StatusEvent> terminalEvents() {
    Properties p = props();
    p.put("isolation.level", "read_committed");
    return DlqCommand.readAll(p, "events-" + id).stream()
        .map(r -> JobCodec.decodeEvent(r.value()))
        .filter(StatusEvent::isTerminal)
        .toList();
  }

  private long committedTotal() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .values()
          .stream()
          .mapToLong(o -> o.offset())
          .sum();
    }
  }

  private Properties props() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return p;
  }
}
