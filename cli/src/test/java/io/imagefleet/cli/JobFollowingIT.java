package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.Json;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Following a job ({@code watch --job}, {@code submit --wait}) and the JSON lines of {@code watch},
 * {@code status}, {@code costs} and {@code dlq list}, against a real worker, the simulator and the
 * real broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobFollowingIT {
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String jobs = "jobs-follow-" + id;
  private final String events = "events-follow-" + id;
  private final String dlq = "dlq-follow-" + id;
  private final String workers = "workers-follow-" + id;
  private final String group = "group-follow-" + id;
  private final String tenant = "follow-" + id;
  private UpstreamSimulator simulator;
  private Worker worker;

  @BeforeAll
  void startWorker() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(jobs, 3, (short) 1),
                  new NewTopic(events, 3, (short) 1),
                  new NewTopic(dlq, 1, (short) 1),
                  new NewTopic("state-follow-" + id, 3, (short) 1),
                  new NewTopic(workers, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    }
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(300), Duration.ofMillis(600)))
                .build());
    worker =
        Worker.start(
            ConfigLoader.fromMap(
                Map.ofEntries(
                    Map.entry("worker.id", "follow-worker-" + id),
                    Map.entry("kafka.bootstrap.servers", bootstrap),
                    Map.entry("kafka.group.id", group),
                    Map.entry("topics.jobs", jobs),
                    Map.entry("topics.events", events),
                    Map.entry("topics.dead-letters", dlq),
                    Map.entry("topics.state", "state-follow-" + id),
                    Map.entry("topics.workers", workers),
                    Map.entry("upstream.base-url", simulator.baseUrl().toString()),
                    Map.entry("upstream.allow-private-downloads", "true"),
                    Map.entry("upstream.api-key", simulator.apiKey()),
                    Map.entry(
                        "storage.directory",
                        Files.createTempDirectory("follow-images-").toString()),
                    Map.entry("polling.min-interval", "200ms"),
                    Map.entry("intake.shutdown-grace", "5s"),
                    Map.entry("ops.port", "0"),
                    Map.entry("ops.bind", "127.0.0.1"),
                    Map.entry("ops.heartbeat-interval", "500ms")),
                Map.of()));
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.assignedPartitions() == 3);
  }

  @AfterAll
  void stopWorker() {
    if (worker != null) {
      worker.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void submitWaitExitsByTheJobsOutcome() {
    CliRun.Output succeeded = submitWaiting(0, "a red chair");
    assertThat(succeeded.out().strip()).matches("[0-9a-f-]{36}");
    assertThat(succeeded.err())
        .contains("waiting for its end")
        .contains("bin/imagefleet watch -b " + bootstrap + " --topic " + events + " --job ")
        .contains("SUCCEEDED");

    CliRun.Output failed = submitWaiting(1, "a chair [sim:fail=content_policy_violation]");
    assertThat(failed.err()).contains("FAILED").contains("content_policy_violation");
  }

  @Test
  void submitPrintsAWatchCommandWithItsConnectionOptions() {
    CliRun.Output sent =
        CliRun.split(
            0,
            "submit",
            "-b",
            bootstrap,
            "-X",
            "client.id=submit-" + id,
            "-X",
            "sasl.jaas.config=secret-" + id,
            "--topic",
            jobs,
            "--events-topic",
            events,
            "--tenant",
            tenant,
            "--prompt",
            "a stool");
    String jobId = sent.out().strip();
    assertThat(sent.err())
        .contains(
            "follow it with: bin/imagefleet watch -b "
                + bootstrap
                + " -X client.id=submit-"
                + id
                + " -X sasl.jaas.config=... --topic "
                + events
                + " --job "
                + jobId)
        .doesNotContain("secret-" + id);
  }

  @Test
  void watchJobPrintsTheHistoryOfAnEndedJobAndExitsByItsOutcome() {
    String done = submitWaiting(0, "a lamp").out().strip();
    String refused = submitWaiting(1, "a lamp [sim:fail=content_policy_violation]").out().strip();

    CliRun.Output history = CliRun.split(0, "watch", "-b", bootstrap, "-t", events, "--job", done);
    assertThat(history.out())
        .containsSubsequence("ACCEPTED", "SUBMITTED", "SUCCEEDED")
        .contains(done);
    assertThat(history.err()).doesNotContain("waiting");

    CliRun.Output failed =
        CliRun.split(1, "watch", "-b", bootstrap, "-t", events, "--job", refused);
    assertThat(failed.out()).containsSubsequence("ACCEPTED", "FAILED").contains("content_policy");

    // The same job id submitted after it ended: answered by its ending, and the fleet says so.
    CliRun.Output again =
        CliRun.split(
            0,
            "submit",
            "-b",
            bootstrap,
            "--topic",
            jobs,
            "--events-topic",
            events,
            "--tenant",
            tenant,
            "--prompt",
            "a lamp",
            "--job-id",
            done,
            "--wait");
    assertThat(again.err()).contains("SUCCEEDED");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        CliRun.split(
                                0, "watch", "-b", bootstrap, "-t", events, "--job", done, "-o",
                                "json")
                            .out())
                    .contains("\"status\":\"DUPLICATE\"")
                    .contains("duplicate_job"));
  }

  @Test
  void submitWaitOfANewAttemptIsAnsweredByThatAttemptsEnding() {
    String jobId = submitWaiting(0, "a vase").out().strip();
    CliRun.Output again =
        CliRun.split(
            0,
            "submit",
            "-b",
            bootstrap,
            "--topic",
            jobs,
            "--events-topic",
            events,
            "--tenant",
            tenant,
            "--prompt",
            "a vase",
            "--job-id",
            jobId,
            "--attempt",
            "2",
            "--wait",
            "--timeout",
            "60s");
    assertThat(again.err())
        .as("attempt 1's ending is history, not the answer")
        .containsPattern("SUCCEEDED +" + jobId + " +tenant=" + tenant + " attempt=2");
  }

  @Test
  void watchSaysWhenItWaitsAndWhenItTimesOut() {
    CliRun.Output waited =
        CliRun.split(
            4, "watch", "-b", bootstrap, "-t", events, "--job", "never-" + id, "--timeout", "2s");
    assertThat(waited.err())
        .contains("no events yet for job never-" + id + "; waiting for its end on " + events)
        .contains("at " + bootstrap)
        .contains("timed out after 2 s: job never-" + id + " has not ended");
  }

  @Test
  void jsonOutputIsOneObjectPerLineWithTheDocumentedFields() {
    String jobId = submitWaiting(0, "a desk").out().strip();

    List<JsonNode> watched =
        jsonLines(
            CliRun.split(0, "watch", "-b", bootstrap, "-t", events, "--job", jobId, "-o", "json"));
    assertThat(watched).extracting(e -> e.get("status").asText()).contains("ACCEPTED", "SUCCEEDED");
    for (JsonNode e : watched) {
      assertThat(e.fieldNames())
          .toIterable()
          .contains(
              "schema_version",
              "event_id",
              "job_id",
              "tenant",
              "status",
              "attempt",
              "occurred_at",
              "worker_id");
    }
    JsonNode ending = watched.get(watched.size() - 1);
    assertThat(ending.get("images").size()).isEqualTo(1);
    assertThat(ending.get("cost_usd").decimalValue()).isPositive();

    String full =
        CliRun.split(0, "watch", "-b", bootstrap, "-t", events, "--job", jobId, "--full").out();
    assertThat(full).contains("SUCCEEDED").contains("\"images\" : [").contains("\"usage\"");

    List<JsonNode> costs =
        jsonLines(
            CliRun.split(
                0, "costs", "-b", bootstrap, "-t", events, "--tenant", tenant, "-o", "json"));
    assertThat(costs).isNotEmpty();
    for (JsonNode row : costs) {
      assertThat(row.fieldNames())
          .toIterable()
          .containsExactly(
              "tenant",
              "route",
              "succeeded",
              "failed",
              "images",
              "cost_usd",
              "estimated_cost_usd",
              "unconfirmed_submissions");
      assertThat(row.get("tenant").asText()).isEqualTo(tenant);
    }
    assertThat(costs.stream().mapToInt(r -> r.get("succeeded").asInt()).sum()).isPositive();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<JsonNode> status =
                  jsonLines(
                      CliRun.split(
                          0,
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
                          "--no-endpoints",
                          "-o",
                          "json"));
              assertThat(status).hasSize(1);
              JsonNode s = status.get(0);
              assertThat(s.fieldNames())
                  .toIterable()
                  .contains(
                      "taken_at",
                      "group",
                      "group_state",
                      "jobs_topic",
                      "total_lag",
                      "members",
                      "partitions",
                      "workers",
                      "recent_failures",
                      "events_scanned");
              assertThat(s.get("group").asText()).isEqualTo(group);
              assertThat(s.get("partitions").size()).isEqualTo(3);
              assertThat(s.get("workers").get(0).get("worker_id").asText())
                  .isEqualTo("follow-worker-" + id);
              assertThat(s.get("workers").get(0).get("status").get("max_in_flight").asInt())
                  .isPositive();
            });

    publishGarbage("garbage-" + id);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<JsonNode> letters =
                  jsonLines(
                      CliRun.split(0, "dlq", "list", "-b", bootstrap, "-t", dlq, "-o", "json"));
              assertThat(letters).hasSize(1);
              JsonNode letter = letters.get(0);
              assertThat(letter.fieldNames())
                  .toIterable()
                  .containsExactly(
                      "topic",
                      "partition",
                      "offset",
                      "key",
                      "original_topic",
                      "original_partition",
                      "original_offset",
                      "worker",
                      "failed_at",
                      "reason",
                      "truncated",
                      "value");
              assertThat(letter.get("key").asText()).isEqualTo("garbage-" + id);
              assertThat(letter.get("original_topic").asText()).isEqualTo(jobs);
              assertThat(letter.get("value").asText()).isEqualTo("{not json");
            });
  }

  private CliRun.Output submitWaiting(int code, String prompt) {
    return CliRun.split(
        code,
        "submit",
        "-b",
        bootstrap,
        "--topic",
        jobs,
        "--events-topic",
        events,
        "--tenant",
        tenant,
        "--prompt",
        prompt,
        "--wait",
        "--timeout",
        "60s");
  }

  /** Every line of standard output is one JSON object. */
  private static List<JsonNode> jsonLines(CliRun.Output output) {
    return output
        .out()
        .lines()
        .map(
            line -> {
              try {
                JsonNode node = Json.mapper().readTree(line);
                assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
                return node;
              } catch (java.io.IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
              }
            })
        .toList();
  }

  private void publishGarbage(String key) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  jobs,
                  key.getBytes(StandardCharsets.UTF_8),
                  "{not json".getBytes(StandardCharsets.UTF_8)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
