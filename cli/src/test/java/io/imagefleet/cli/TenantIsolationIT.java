package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants authenticated by Kafka, on a broker with authorization on: KRaft's {@code
 * StandardAuthorizer}, a SASL/PLAIN user per team and one for the fleet. The teams get exactly the
 * ACLs {@code imagefleet topics --tenant T --apply} grants; the worker is a super user. Team A's
 * principal cannot write team B's topic, read team B's events or forge its own; a job claiming B on
 * A's topic fails {@code tenant_mismatch}, and A reads that on its own events topic; {@code submit
 * --tenant} with a team's own credentials finds the team's topic; the fleet serves both teams.
 *
 * <p>This test owns its broker (a second one in this JVM, as {@code SecureKafkaIT} does): the
 * PLAINTEXT listener is the operator's (anonymous, a super user), SASL_PLAINTEXT everyone else's.
 */
class TenantIsolationIT {
  private static final String LISTENER = "SASL_PLAINTEXT";
  private static final Map<String, String> PASSWORDS =
      Map.of(
          "fleet", "fleet-" + UUID.randomUUID(),
          "team-a", "a-" + UUID.randomUUID(),
          "team-b", "b-" + UUID.randomUUID());
  private static final TenantTopics TOPICS = TenantTopics.defaults();

  private static EmbeddedKafkaBroker broker;
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startAuthorizingBroker() {
    StringBuilder jaas =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    PASSWORDS.forEach((user, password) -> jaas.append(" user_" + user + "=\"" + password + "\""));
    broker =
        EmbeddedKafkaBroker.builder()
            .listener(LISTENER, "SASL_PLAINTEXT")
            .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
            .brokerProperty(
                "listener.name." + LISTENER.toLowerCase() + ".plain.sasl.jaas.config", jaas + ";")
            .brokerProperty(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .brokerProperty("super.users", "User:ANONYMOUS;User:fleet")
            .brokerProperty("allow.everyone.if.no.acl.found", "false")
            .start();
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(100), Duration.ofMillis(300)))
                .build());
  }

  @AfterAll
  static void stop() {
    if (simulator != null) {
      simulator.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void eachTeamReachesOnlyItsOwnTopicsWhileTheFleetServesBoth() throws Exception {
    String admin = broker.bootstrapServers();
    CliRun.run("topics", "-b", admin, "--partitions", "3");
    Worker worker = Worker.start(ConfigLoader.fromMap(workerConfig(), Map.of()));
    try {
      String onboardA =
          CliRun.run("topics", "-b", admin, "--tenant", "team-a", "--partitions", "3", "--apply");
      assertThat(onboardA)
          .contains("created " + TOPICS.jobs("team-a"))
          .contains("User:team-a", "WRITE", TOPICS.jobs("team-a"))
          .contains("READ", TOPICS.events("team-a"))
          .contains("granted");
      CliRun.run(
          "topics", "-b", admin, "--tenant", "team-b", "--principal", "User:team-b", "--apply");

      try (KafkaProducer<byte[], byte[]> a = producer("team-a");
          KafkaProducer<byte[], byte[]> b = producer("team-b")) {
        // A may write its own jobs topic, and nothing else of anyone's.
        send(a, TOPICS.jobs("team-a"), job("a-1", "team-a"));
        assertDenied(() -> send(a, TOPICS.jobs("team-b"), job("a-in-b", "team-a")));
        assertDenied(() -> send(a, TOPICS.events("team-a"), job("forged", "team-a")));
        assertDenied(() -> send(a, io.imagefleet.contracts.Topics.JOBS, job("a-shared", "team-a")));
        // What A can write, it cannot use to act as B.
        send(a, TOPICS.jobs("team-a"), job("a-claims-b", "team-b"));
        send(b, TOPICS.jobs("team-b"), job("b-1", "team-b"));
      }
      // submit, with team B's own credentials, finds team B's topic by itself.
      String submitted =
          CliRun.run(
              concat(
                  List.of(
                      "submit",
                      "-b",
                      sasl(),
                      "--tenant",
                      "team-b",
                      "--job-id",
                      "b-cli",
                      "--prompt",
                      "a kettle for team b"),
                  saslFlags("team-b")));
      assertThat(submitted).contains("submitted to " + TOPICS.jobs("team-b"));

      List<StatusEvent> seenByA = new CopyOnWriteArrayList<>();
      try (KafkaConsumer<byte[], byte[]> a = consumer("team-a", "imagefleet.tenant.team-a.it")) {
        a.subscribe(List.of(TOPICS.events("team-a")));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  a.poll(Duration.ofMillis(200))
                      .forEach(r -> seenByA.add(JobCodec.decodeEvent(r.value())));
                  return terminal(seenByA, "a-1") != null
                      && terminal(seenByA, "a-claims-b") != null;
                });
      }
      assertThat(terminal(seenByA, "a-1").status()).isEqualTo(JobStatus.SUCCEEDED);
      StatusEvent claimed = terminal(seenByA, "a-claims-b");
      assertThat(claimed.status()).isEqualTo(JobStatus.FAILED);
      assertThat(claimed.error().code()).isEqualTo(ErrorCodes.TENANT_MISMATCH);
      assertThat(simulator.stats().tasksCreatedForPrompt("prompt of a-claims-b")).isZero();
      assertThat(seenByA).extracting(StatusEvent::jobId).doesNotContain("b-1", "b-cli");

      // A cannot read B's events, with or without a group.
      try (KafkaConsumer<byte[], byte[]> a = consumer("team-a", null)) {
        TopicPartition bEvents = new TopicPartition(TOPICS.events("team-b"), 0);
        a.assign(List.of(bEvents));
        a.seekToBeginning(List.of(bEvents));
        assertDenied(() -> a.poll(Duration.ofSeconds(5)));
      }
      // B sees both of its jobs succeed.
      List<StatusEvent> seenByB = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> b = consumer("team-b", "imagefleet.tenant.team-b.it")) {
        b.subscribe(List.of(TOPICS.events("team-b")));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  b.poll(Duration.ofMillis(200))
                      .forEach(r -> seenByB.add(JobCodec.decodeEvent(r.value())));
                  return terminal(seenByB, "b-1") != null && terminal(seenByB, "b-cli") != null;
                });
      }
      assertThat(terminal(seenByB, "b-1").status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(terminal(seenByB, "b-cli").status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(seenByB).extracting(StatusEvent::tenant).containsOnly("team-b");
    } finally {
      worker.close();
    }
  }

  private static StatusEvent terminal(List<StatusEvent> events, String jobId) {
    return events.stream()
        .filter(e -> e.jobId().equals(jobId) && e.isTerminal())
        .findFirst()
        .orElse(null);
  }

  private static void assertDenied(Runnable action) {
    Throwable thrown = catchThrowable(action::run);
    Throwable cause = thrown;
    while (cause != null && !(cause instanceof TopicAuthorizationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("refused by the broker: " + thrown).isNotNull();
  }

  private static byte[] job(String id, String tenant) {
    return JobCodec.encode(
        JobRequest.builder(id, tenant, "prompt of " + id).quality("low").build());
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] job) {
    String id = JobCodec.decode(job).jobId();
    try {
      producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), job)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sasl() {
    return broker.bootstrapServers(LISTENER);
  }

  private static Map<String, String> saslProperties(String user) {
    return Map.of(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        "SASL_PLAINTEXT",
        SaslConfigs.SASL_MECHANISM,
        "PLAIN",
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + PASSWORDS.get(user)
            + "\";");
  }

  private static List<String> saslFlags(String user) {
    List<String> flags = new ArrayList<>();
    saslProperties(user).forEach((k, v) -> flags.addAll(List.of("-X", k + "=" + v)));
    return flags;
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

  private static KafkaProducer<byte[], byte[]> producer(String user) {
    Properties p = new Properties();
    p.putAll(saslProperties(user));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sasl());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String user, String group) {
    Properties p = new Properties();
    p.putAll(saslProperties(user));
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sasl());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (group != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static Map<String, String> workerConfig() throws Exception {
    Map<String, String> c = new HashMap<>();
    c.put("worker.id", "fleet-1");
    c.put("kafka.bootstrap.servers", sasl());
    saslProperties("fleet").forEach((k, v) -> c.put("kafka." + k, v));
    c.put("tenants.events-per-tenant", "true");
    c.put("tenants.allowed", "catalog");
    c.put("upstream.base-url", simulator.baseUrl().toString());
    c.put("upstream.allow-private-downloads", "true");
    c.put("upstream.api-key", simulator.apiKey());
    c.put("polling.min-interval", "200ms");
    c.put("storage.directory", Files.createTempDirectory("tenant-images").toString());
    c.put("ops.port", "0");
    return c;
  }
}
