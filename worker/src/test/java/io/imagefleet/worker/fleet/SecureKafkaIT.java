package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker on a secured cluster, configured with nothing but {@code kafka.*} keys: SASL_SSL with
 * SCRAM-SHA-512, mutual TLS (the broker requires a client certificate), the CA made by the test.
 * The SASL password comes from a file (Kafka's DirectoryConfigProvider) and the JAAS line from the
 * environment. A wrong password is refused with a clear error that carries no secret (at start; the
 * ops endpoint's readiness reports the same for credentials that stop working later,
 * BrokerProbeTest).
 *
 * <p>This test owns its broker (a second one in the JVM): PLAINTEXT for set-up and for reading the
 * events, SASL_SSL for the workers.
 */
class SecureKafkaIT {
  private static final String LISTENER = "SASL_SSL";
  private static final String USER = "imagefleet-worker";
  private static final String PASSWORD = "scram-" + UUID.randomUUID();
  private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();

  @TempDir static Path dir;
  private static TestCertificates certificates;
  private static EmbeddedKafkaBroker broker;
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    certificates =
        TestCertificates.create(Files.createDirectories(dir.resolve("pki")), STORE_PASSWORD);
    String l = "listener.name." + LISTENER.toLowerCase() + ".";
    broker =
        EmbeddedKafkaBroker.builder()
            .listener(LISTENER, "SASL_SSL")
            .brokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .brokerProperty(
                l + "scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .brokerProperty(l + "ssl.keystore.location", certificates.brokerKeystore().toString())
            .brokerProperty(l + "ssl.keystore.password", STORE_PASSWORD)
            .brokerProperty(l + "ssl.keystore.type", "PKCS12")
            .brokerProperty(l + "ssl.key.password", STORE_PASSWORD)
            .brokerProperty(l + "ssl.truststore.location", certificates.truststore().toString())
            .brokerProperty(l + "ssl.truststore.password", STORE_PASSWORD)
            .brokerProperty(l + "ssl.truststore.type", "PKCS12")
            .brokerProperty(l + "ssl.client.auth", "required")
            .start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD)))
          .all()
          .get();
      admin
          .createTopics(
              List.of(
                  new NewTopic("jobs", 3, (short) 1),
                  new NewTopic("events", 3, (short) 1),
                  new NewTopic("dlq", 1, (short) 1),
                  new NewTopic("jobs-2", 3, (short) 1),
                  new NewTopic("state", 3, (short) 1),
                  new NewTopic("workers", 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(
              () ->
                  admin
                          .describeTopics(List.of("jobs", "jobs-2", "state"))
                          .allTopicNames()
                          .get()
                          .size()
                      == 3);
    }
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(100), Duration.ofMillis(300)))
                .build());
  }

  @AfterAll
  static void stopBroker() {
    if (simulator != null) {
      simulator.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void runsJobsOverSaslSslWithScramAndMutualTls() throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("kafka-password"), PASSWORD);
    Map<String, String> env =
        Map.of(
            "IMAGEFLEET_KAFKA_SASL_JAAS_CONFIG",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER
                + "\" "
                + "password=\"${dir:"
                + secrets
                + ":kafka-password}\";");
    Map<String, String> file = new HashMap<>(secured("secure-1", "secure", "jobs"));
    file.put("kafka.config.providers", "dir");
    file.put(
        "kafka.config.providers.dir.class",
        "org.apache.kafka.common.config.provider.DirectoryConfigProvider");

    try (LogCapture logs = new LogCapture();
        TestFleet.Collector events =
            new TestFleet.Collector(broker.bootstrapServers(), "events", 3)) {
      Worker worker = Worker.start(ConfigLoader.fromMap(file, env));
      try {
        OpsEndpoint ops = new OpsEndpoint(worker);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    worker.assignedPartitions() == 3
                        && ops.get("/health/ready").statusCode() == 200);
        for (int i = 0; i < 3; i++) {
          submit(
              "jobs",
              JobRequest.builder("secure-job-" + i, "catalog", "a chair over TLS " + i).build());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> terminal(events).size() == 3);
        assertThat(terminal(events))
            .extracting(StatusEvent::status)
            .containsOnly(JobStatus.SUCCEEDED);
        assertThat(ops.value("imagefleet_jobs_total", "status", "SUCCEEDED")).isEqualTo(3);
      } finally {
        worker.close();
      }
      assertThat(String.join("\n", logs.lines())).doesNotContain(PASSWORD, STORE_PASSWORD);
    }
  }

  @Test
  void refusesAWrongPasswordWithAClearSecretFreeError() throws Exception {
    String wrong = "wrong-" + UUID.randomUUID();
    Map<String, String> values = new HashMap<>(secured("secure-2", "secure-wrong", "jobs-2"));
    values.put(
        "kafka.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\""
            + USER
            + "\" password=\""
            + wrong
            + "\";");
    try (LogCapture logs = new LogCapture()) {
      // The worker checks its topics before it takes jobs, so bad credentials stop it at start.
      Throwable refused =
          catchThrowable(() -> Worker.start(ConfigLoader.fromMap(values, Map.of())).close());

      assertThat(refused).isNotNull();
      String error = describe(refused);
      assertThat(error)
          .contains("Authentication failed", "invalid credentials", "SCRAM-SHA-512")
          .doesNotContain(wrong, PASSWORD, STORE_PASSWORD);
      assertThat(String.join("\n", logs.lines())).doesNotContain(wrong, PASSWORD, STORE_PASSWORD);
      await("no client of the refused worker is left retrying")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Thread.getAllStackTraces().keySet().stream()
                      .noneMatch(t -> t.getName().contains("secure-2")));
    }
  }

  private static String describe(Throwable error) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      b.append(t).append('\n');
    }
    return b.toString();
  }

  /** Everything a worker needs, security included, as {@code kafka.*} keys only. */
  private static Map<String, String> secured(String workerId, String group, String jobsTopic)
      throws Exception {
    Map<String, String> v = new HashMap<>();
    v.put("worker.id", workerId);
    v.put("kafka.bootstrap.servers", broker.bootstrapServers(LISTENER));
    v.put("kafka.group.id", group);
    v.put("kafka.security.protocol", "SASL_SSL");
    v.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
    v.put("kafka.ssl.truststore.location", certificates.truststore().toString());
    v.put("kafka.ssl.truststore.password", STORE_PASSWORD);
    v.put("kafka.ssl.truststore.type", "PKCS12");
    v.put("kafka.ssl.keystore.location", certificates.clientKeystore().toString());
    v.put("kafka.ssl.keystore.password", STORE_PASSWORD);
    v.put("kafka.ssl.keystore.type", "PKCS12");
    v.put("kafka.ssl.key.password", STORE_PASSWORD);
    v.put("topics.jobs", jobsTopic);
    v.put("topics.events", "events");
    v.put("topics.dead-letters", "dlq");
    v.put("topics.state", "state");
    v.put("topics.workers", "workers");
    v.put("upstream.base-url", simulator.baseUrl().toString());
    v.put("upstream.allow-private-downloads", "true");
    v.put("upstream.api-key", simulator.apiKey());
    v.put("storage.directory", Files.createTempDirectory("secure-images-").toString());
    v.put("polling.min-interval", "200ms");
    v.put("intake.shutdown-grace", "5s");
    v.put("ops.port", "0");
    v.put("ops.probe-interval", "500ms");
    v.put("ops.heartbeat-interval", "1s");
    return v;
  }

  private static void submit(String topic, JobRequest job) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)))
          .get();
    }
  }

  private static List<StatusEvent> terminal(TestFleet.Collector events) {
    return events.records().stream()
        .map(r -> JobCodec.decodeEvent(r.value()))
        .filter(StatusEvent::isTerminal)
        .toList();
  }
}
