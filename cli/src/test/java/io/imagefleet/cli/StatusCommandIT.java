package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code imagefleet status} against a real worker on the real broker. */
class StatusCommandIT {
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String jobs = "jobs-status-" + id;
  private final String events = "events-status-" + id;
  private final String workers = "workers-status-" + id;
  private final String group = "group-status-" + id;

  @Test
  void showsMembersPartitionsLagWorkersBreakersAndRecentFailures() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(jobs, 3, (short) 1),
                  new NewTopic(events, 3, (short) 1),
                  new NewTopic("dlq-status-" + id, 1, (short) 1),
                  new NewTopic("state-status-" + id, 3, (short) 1),
                  new NewTopic(workers, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(
              () ->
                  admin
                          .describeTopics(List.of(jobs, "state-status-" + id))
                          .allTopicNames()
                          .get()
                          .size()
                      == 2);
    }
    try (UpstreamSimulator simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(100), Duration.ofMillis(200)))
                .build())) {
      Worker worker =
          Worker.start(
              ConfigLoader.fromMap(
                  Map.ofEntries(
                      Map.entry("worker.id", "status-worker-" + id),
                      Map.entry("kafka.bootstrap.servers", bootstrap),
                      Map.entry("kafka.group.id", group),
                      Map.entry("topics.jobs", jobs),
                      Map.entry("topics.events", events),
                      Map.entry("topics.dead-letters", "dlq-status-" + id),
                      Map.entry("topics.state", "state-status-" + id),
                      Map.entry("topics.workers", workers),
                      Map.entry("upstream.base-url", simulator.baseUrl().toString()),
                      Map.entry("upstream.allow-private-downloads", "true"),
                      Map.entry("upstream.api-key", simulator.apiKey()),
                      Map.entry(
                          "storage.directory",
                          Files.createTempDirectory("status-images-").toString()),
                      Map.entry("polling.min-interval", "200ms"),
                      Map.entry("intake.shutdown-grace", "5s"),
                      Map.entry("ops.port", "0"),
                      Map.entry("ops.bind", "127.0.0.1"),
                      Map.entry("ops.token", "status-token-" + id),
                      Map.entry("ops.heartbeat-interval", "500ms")),
                  Map.of()));
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.assignedPartitions() == 3);
        submit(JobRequest.builder("fine-" + id, "catalog", "a chair").build());
        submit(
            JobRequest.builder(
                    "refused-" + id, "catalog", "a chair [sim:fail=content_policy_violation]")
                .build());

        Path token =
            Files.writeString(Files.createTempFile("ops-token-", ""), "status-token-" + id + "\n");
        String[] args = {
          "status",
          "-b",
          bootstrap,
          "--group",
          group,
          "--jobs-topic",
          jobs,
          "--events-topic",
          events,
          "--workers-topic",
          workers,
          "--ops-token-file",
          token.toString()
        };
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(run(args)).contains("refused-" + id).contains("lag 0"));
        String out = run(args);
        assertThat(out)
            .contains("group " + group + ": Stable, 1 member(s)")
            .containsPattern(
                "status-worker-"
                    + id
                    + "\\s+0-2\\s+0\\s+0/512\\s+yes\\s+gpt-image-1\\.5=CLOSED\\s+live")
            .containsPattern(
                "refused-" + id + "\\s+catalog\\s+gpt-image-1\\.5\\s+content_policy_violation")
            .doesNotContain("fine-" + id);

        String heartbeatsOnly =
            run(
                args[0],
                args[1],
                args[2],
                args[3],
                args[4],
                args[5],
                args[6],
                args[7],
                args[8],
                args[9],
                args[10],
                "--no-endpoints");
        String withoutToken =
            run(
                args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8],
                args[9], args[10]);
        assertThat(withoutToken)
            .as("the endpoint refuses a caller without the token: heartbeats are shown")
            .containsPattern("status-worker-" + id + "\\s+0-2\\s+.*heartbeat \\d+s ago");
        assertThat(heartbeatsOnly)
            .containsPattern("status-worker-" + id + "\\s+0-2\\s+.*heartbeat \\d+s ago");
      } finally {
        worker.close();
      }
      assertThat(
              run(
                  "status",
                  "-b",
                  bootstrap,
                  "--group",
                  group,
                  "--jobs-topic",
                  jobs,
                  "--events-topic",
                  events,
                  "--workers-topic",
                  workers))
          .as("a stopped worker leaves the group and removes its heartbeat")
          .contains("0 member(s)")
          .doesNotContain("status-worker-" + id + " ");
    }
  }

  private void submit(JobRequest job) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  jobs, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)))
          .get();
    }
  }

  private static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Imagefleet.commandLine().execute(args)).as("exit code").isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
