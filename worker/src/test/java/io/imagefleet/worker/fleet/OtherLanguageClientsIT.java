package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.Json;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract as teams in other languages meet it, with the scripts docs/clients.md shows: each
 * client publishes jobs built from the JSON Schema alone (keyed by job id, placed by its own
 * default partitioner) and reads their status events to the end, from workers as they run in
 * production, on the real broker. kafkajs, as npm installs it, reads only uncompressed and gzip
 * batches: the one that broke when workers wrote lz4.
 */
class OtherLanguageClientsIT {
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED");
  private static final int JOBS = 50;

  private static UpstreamSimulator simulator;
  private static NodeClient kafkajs;

  @BeforeAll
  static void start() throws Exception {
    kafkajs = NodeClient.install(Path.of("target", "node-client"));
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(200), Duration.ofMillis(800)))
                .build());
  }

  @AfterAll
  static void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void kafkajsPublishesJobsFromTheSchemaAndReadsEveryEventToItsEnd() throws Exception {
    publishesJobsAndReadsEveryEventToItsEnd(kafkajs);
  }

  /** librdkafka places keys by CRC32, not Java's murmur2: the fleet does not depend on either. */
  @Test
  void confluentKafkaPythonPublishesJobsFromTheSchemaAndReadsEveryEventToItsEnd() throws Exception {
    publishesJobsAndReadsEveryEventToItsEnd(PythonClient.find());
  }

  @Test
  void kafkajsCannotReadEventsThatAWorkerWritesInLz4() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      startTwoWorkers(
          fleet, Map.of("compression.events", "lz4", "compression.dead-letters", "lz4"));
      kafkajs.publishJobs(
          fleet.bootstrapServers(), fleet.jobsTopic(), "lz4-" + fleet.jobsTopic(), 5);

      try (EventsReader reader = new EventsReader(kafkajs, fleet)) {
        // Terminal events travel in the codec of events and dead letters: kafkajs as installed
        // stops at the first such batch.
        await().atMost(Duration.ofSeconds(60)).until(reader::stopped);
        assertThat(reader.errors()).contains("LZ4");
        assertThat(reader.terminalJobs()).isEmpty();
      }
    }
  }

  private static void publishesJobsAndReadsEveryEventToItsEnd(ScriptClient client)
      throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      startTwoWorkers(fleet, Map.of());
      List<String> jobIds =
          client.publishJobs(
              fleet.bootstrapServers(),
              fleet.jobsTopic(),
              client.name() + "-" + fleet.jobsTopic(),
              JOBS);
      assertThat(jobIds).hasSize(JOBS);

      try (EventsReader reader = new EventsReader(client, fleet)) {
        await()
            .atMost(Duration.ofSeconds(120))
            .failFast(reader::assertRunning)
            .until(() -> reader.terminalJobs().containsAll(jobIds));

        Map<String, List<String>> statuses = reader.statusesByJob();
        for (String jobId : jobIds) {
          List<String> lifecycle = statuses.get(jobId);
          assertThat(lifecycle)
              .as("events of %s read by %s", jobId, client.name())
              .startsWith("ACCEPTED");
          assertThat(lifecycle.stream().filter(TERMINAL::contains))
              .as("terminal events of %s read by %s", jobId, client.name())
              .containsExactly("SUCCEEDED");
          assertThat(simulator.stats().tasksCreatedForPrompt(ScriptClient.promptOf(jobId)))
              .as("paid tasks of %s", jobId)
              .isEqualTo(1);
        }
      }
    }
  }

  private static void startTwoWorkers(TestFleet fleet, Map<String, String> overrides) {
    Worker first = fleet.startWorker("worker-1", overrides);
    Worker second = fleet.startWorker("worker-2", overrides);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> first.assignedPartitions() + second.assignedPartitions() == TestFleet.PARTITIONS);
  }

  /** A client's events reader, following the fleet's events topic in its own consumer group. */
  private static final class EventsReader implements AutoCloseable {
    private final ScriptClient client;
    private final Path out = Files.createTempFile("events-", ".ndjson");
    private final Path err = Files.createTempFile("events-", ".err");
    private final Process process;

    EventsReader(ScriptClient client, TestFleet fleet) throws IOException {
      this.client = client;
      this.process =
          client.consumeEvents(
              out,
              err,
              fleet.bootstrapServers(),
              fleet.eventsTopic(),
              "readers-" + fleet.eventsTopic());
    }

    void assertRunning() throws IOException {
      if (stopped()) {
        fail("the %s consumer stopped: %s", client.name(), errors());
      }
    }

    boolean stopped() {
      return !process.isAlive();
    }

    String errors() throws IOException {
      return Files.readString(err);
    }

    List<JsonNode> events() {
      try {
        return Files.readAllLines(out).stream().map(OtherLanguageClientsIT::parse).toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Set<String> terminalJobs() {
      return events().stream()
          .filter(e -> TERMINAL.contains(e.path("status").asText()))
          .map(e -> e.path("job_id").asText())
          .collect(Collectors.toSet());
    }

    Map<String, List<String>> statusesByJob() {
      return events().stream()
          .collect(
              Collectors.groupingBy(
                  e -> e.path("job_id").asText(),
                  Collectors.mapping(e -> e.path("status").asText(), Collectors.toList())));
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  private static JsonNode parse(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
