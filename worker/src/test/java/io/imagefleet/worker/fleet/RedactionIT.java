package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.cli.WorkerCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Invariant 6: secrets live in configuration only. Workers run real jobs (success, refusal,
 * invalid, undecodable, a wrong API key that stops spending) with recognisable secrets in their
 * configuration; then every log line, event, dead letter, heartbeat, ops endpoint answer and config
 * dump is searched for them.
 */
class RedactionIT {
  private final String apiKey = "sk-canary-" + UUID.randomUUID();
  private final String wrongApiKey = "sk-wrong-canary-" + UUID.randomUUID();
  private final String saslPassword = "pw-canary-" + UUID.randomUUID();
  private final String keyPassword = "kp-canary-" + UUID.randomUUID();

  @Test
  void noSecretReachesLogsEventsDeadLettersHeartbeatsEndpointsOrConfigDumps() throws Exception {
    List<String> seen = new ArrayList<>();
    Map<String, String> secretSettings =
        Map.of(
            // Harmless on a PLAINTEXT listener, and exactly what a SASL_SSL deployment would carry.
            "kafka.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"fleet\" password=\""
                + saslPassword
                + "\";",
            "kafka.ssl.key.password",
            keyPassword);
    try (LogCapture logs = new LogCapture();
        UpstreamSimulator simulator =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .apiKey(apiKey)
                    .taskDuration(
                        DurationDistribution.uniform(
                            Duration.ofMillis(100), Duration.ofMillis(300)))
                    .build());
        TestFleet fleet = new TestFleet(simulator);
        TestFleet wrongKeyFleet = new TestFleet(simulator)) {
      Worker worker = fleet.startWorker("redaction-1", secretSettings);
      fleet.submit(JobRequest.builder("ok", "catalog", "a chair").build());
      fleet.submit(
          JobRequest.builder("refused", "catalog", "a chair [sim:fail=content_policy_violation]")
              .build());
      fleet.submit(JobRequest.builder("invalid", "catalog", "a chair").n(42).build());
      fleet.send(
          "undecodable".getBytes(StandardCharsets.UTF_8),
          "{\"job_id\": ".getBytes(StandardCharsets.UTF_8));

      Map<String, String> wrongKey = new HashMap<>(secretSettings);
      wrongKey.put("upstream.api-key", wrongApiKey);
      Worker refused = wrongKeyFleet.startWorker("redaction-2", wrongKey);
      wrongKeyFleet.submit(JobRequest.builder("unauthorized", "catalog", "a chair").build());

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().size() == 3 && fleet.deadLetters().size() == 1);
      OpsEndpoint refusedOps = new OpsEndpoint(refused);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> refusedOps.get("/health/ready").body().contains("refuses the API key"));
      await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats(fleet).size() > 0);

      for (Worker w : List.of(worker, refused)) {
        OpsEndpoint ops = new OpsEndpoint(w);
        for (String path : List.of("/metrics", "/status", "/health/ready", "/health/live")) {
          seen.add(path + ": " + ops.get(path).body());
        }
      }
      fleet.events().forEach(e -> seen.add("event: " + e));
      records(fleet.bootstrapServers(), fleet.eventsTopic(), TestFleet.PARTITIONS)
          .forEach(r -> seen.add(text(r)));
      records(wrongKeyFleet.bootstrapServers(), wrongKeyFleet.eventsTopic(), TestFleet.PARTITIONS)
          .forEach(r -> seen.add(text(r)));
      fleet.deadLetters().forEach(r -> seen.add(text(r)));
      heartbeats(fleet).forEach(r -> seen.add(text(r)));
      heartbeats(wrongKeyFleet).forEach(r -> seen.add(text(r)));
      seen.add(worker.config().toString());
      seen.add(printConfig(fleet, secretSettings));

      seen.addAll(logs.linesOf("io.imagefleet.worker"));
      seen.addAll(logs.linesOf("org.apache.kafka"));
      assertThat(logs.linesOf("io.imagefleet.worker")).as("the worker did log").isNotEmpty();
      assertThat(
              logs.linesOf("org.apache.kafka").stream()
                  .anyMatch(l -> l.contains("sasl.jaas.config")))
          .as("Kafka's config dump was captured")
          .isTrue();
    }

    assertThat(String.join("\n", seen))
        .as("everything an operator or a downstream team can see")
        .doesNotContain(apiKey, wrongApiKey, saslPassword, keyPassword)
        .contains("[redacted]")
        .contains("refuses the API key");
  }

  private String printConfig(TestFleet fleet, Map<String, String> secrets) throws Exception {
    Path file = Files.createTempFile("worker-", ".properties");
    Properties p = new Properties();
    fleet
        .config("dump-1", secrets)
        .kafka()
        .clientProperties()
        .forEach((k, v) -> p.setProperty("kafka." + k, v));
    p.setProperty("upstream.base-url", "http://127.0.0.1:1");
    p.setProperty("upstream.api-key", apiKey);
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, null);
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(
              new CommandLine(new WorkerCommand())
                  .execute("--config", file.toString(), "--print-config"))
          .isZero();
    } finally {
      System.setOut(original);
    }
    String dump = captured.toString(StandardCharsets.UTF_8);
    assertThat(dump)
        .contains("kafka.sasl.jaas.config=[redacted]")
        .contains("kafka.ssl.key.password=[redacted]");
    return dump;
  }

  private static List<ConsumerRecord<byte[], byte[]>> heartbeats(TestFleet fleet) {
    return records(fleet.bootstrapServers(), fleet.workersTopic(), 1);
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(
      String bootstrap, String topic, int partitions) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        parts.add(new TopicPartition(topic, i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
      return all;
    }
  }

  private static String text(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder b = new StringBuilder(r.topic()).append(": ");
    if (r.key() != null) {
      b.append(new String(r.key(), StandardCharsets.UTF_8)).append(' ');
    }
    if (r.value() != null) {
      b.append(new String(r.value(), StandardCharsets.UTF_8));
    }
    for (Header h : r.headers()) {
      b.append(' ')
          .append(h.key())
          .append('=')
          .append(new String(h.value(), StandardCharsets.UTF_8));
    }
    return b.toString();
  }
}
