package io.imagefleet.cli.console;

import static org.awaitility.Awaitility.await;

import io.imagefleet.cli.redrive.DeadLetterRedrive;
import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * For the console's tests: unique topics on the shared test broker, the upstream simulator, one
 * worker storing images in a temporary directory, and a console over the same topics.
 */
final class ConsoleFleet implements AutoCloseable {
  final String id = UUID.randomUUID().toString().substring(0, 8);
  final String bootstrap = SharedTestKafka.bootstrapServers();
  final String jobs = "jobs-console-" + id;
  final String events = "events-console-" + id;
  final String deadLetters = "dlq-console-" + id;
  final String state = "state-console-" + id;
  final String workers = "workers-console-" + id;
  final String budgets = "budgets-console-" + id;
  final String callbacks = "callbacks-console-" + id;
  final String callbacksOwed = "callbacks-owed-console-" + id;
  final String control = "control-console-" + id;
  final String actions = "actions-console-" + id;
  final String redriveGroup = "redrive-console-" + id;
  final Path images;
  final UpstreamSimulator simulator;
  private final Map<String, String> workerSettings;
  private int workersStarted;
  Worker worker;
  final Console console;

  ConsoleFleet(Optional<String> token) throws Exception {
    this(token, Map.of());
  }

  /**
   * With {@code storage} (the workers' {@code storage.*} keys) given to the worker and, read as
   * {@code --storage-config} reads them, to the console.
   */
  ConsoleFleet(Optional<String> token, Map<String, String> storage) throws Exception {
    this(token, storage, Map.of());
  }

  /** With per-tenant access: {@code tenantTokens} are the tenants' tokens. */
  ConsoleFleet(
      Optional<String> token, Map<String, String> storage, Map<String, String> tenantTokens)
      throws Exception {
    this(token, true, storage, tenantTokens, Map.of());
  }

  /**
   * @param actionsOn whether the console may act (else it runs read-only)
   * @param workerExtra worker settings over the defaults here
   */
  ConsoleFleet(Optional<String> token, boolean actionsOn, Map<String, String> workerExtra)
      throws Exception {
    this(token, actionsOn, Map.of(), Map.of(), workerExtra);
  }

  private ConsoleFleet(
      Optional<String> token,
      boolean actionsOn,
      Map<String, String> storage,
      Map<String, String> tenantTokens,
      Map<String, String> workerExtra)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(jobs, 2, (short) 1),
                  new NewTopic(events, 2, (short) 1),
                  new NewTopic(deadLetters, 1, (short) 1),
                  new NewTopic(state, 2, (short) 1),
                  new NewTopic(control, 1, (short) 1),
                  new NewTopic(actions, 1, (short) 1),
                  new NewTopic(workers, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(budgets, 1, (short) 1),
                  new NewTopic(callbacks, 1, (short) 1),
                  new NewTopic(callbacksOwed, 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(
              () ->
                  admin.describeTopics(List.of(jobs, state, events)).allTopicNames().get().size()
                      == 3);
    }
    images = Files.createTempDirectory("console-images-");
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(300), Duration.ofMillis(600)))
                .build());
    Map<String, String> settings =
        new java.util.HashMap<>(
            Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", bootstrap),
                Map.entry("kafka.group.id", "group-console-" + id),
                Map.entry("topics.jobs", jobs),
                Map.entry("topics.events", events),
                Map.entry("topics.dead-letters", deadLetters),
                Map.entry("topics.state", state),
                Map.entry("topics.workers", workers),
                Map.entry("topics.control", control),
                Map.entry("topics.budgets", budgets),
                Map.entry("topics.callbacks", callbacks),
                Map.entry("topics.callbacks-owed", callbacksOwed),
                Map.entry("budgets.team-a.daily-usd", "50"),
                Map.entry("tenants.allowed", "team-a,team-b"),
                Map.entry("upstream.base-url", simulator.baseUrl().toString()),
                Map.entry("upstream.allow-private-downloads", "true"),
                Map.entry("upstream.api-key", simulator.apiKey()),
                Map.entry("storage.directory", images.toString()),
                Map.entry("polling.min-interval", "100ms"),
                Map.entry("intake.shutdown-grace", "5s"),
                Map.entry("ops.port", "0"),
                Map.entry("ops.bind", "127.0.0.1"),
                Map.entry("ops.heartbeat-interval", "500ms")));
    settings.putAll(storage);
    settings.putAll(workerExtra);
    workerSettings = Map.copyOf(settings);
    worker = startWorker();
    Properties client = new Properties();
    client.put("bootstrap.servers", bootstrap);
    console =
        Console.start(
            client,
            new ConsoleSettings(
                "127.0.0.1",
                0,
                token,
                100,
                50,
                1000,
                events,
                workers,
                deadLetters,
                "group-console-" + id,
                images,
                budgets,
                callbacksOwed,
                Duration.ofSeconds(30),
                storage.isEmpty()
                    ? Optional.empty()
                    : ConfigLoader.storageFromMap(storage, Map.of()).s3(),
                tenantTokens,
                new ActionSettings(
                    actionsOn, actions, control, "tenants-" + id + ".", redriveGroup)));
  }

  /** A worker of the fleet's group, once it owns both partitions. */
  private Worker startWorker() {
    String workerId = "console-worker-" + id + (workersStarted++ == 0 ? "" : "-" + workersStarted);
    Map<String, String> settings = new java.util.HashMap<>(workerSettings);
    settings.put("worker.id", workerId);
    Worker started = Worker.start(ConfigLoader.fromMap(settings, Map.of()));
    await().atMost(Duration.ofSeconds(60)).until(() -> started.assignedPartitions() == 2);
    return started;
  }

  /** Stops the worker and starts another in its place; returns the new one's id. */
  String restartWorker() {
    worker.close();
    worker = startWorker();
    return "console-worker-" + id + "-" + workersStarted;
  }

  /** Every record on the jobs topic so far. */
  List<ConsumerRecord<byte[], byte[]>> jobRecords() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    List<ConsumerRecord<byte[], byte[]>> all = new java.util.ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          List.of(new TopicPartition(jobs, 0), new TopicPartition(jobs, 1));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  /** How many records on the jobs topic were redriven from the dead letter at {@code offset}. */
  long redrivenFrom(long offset) {
    String from = deadLetters + "-0@" + offset;
    return jobRecords().stream()
        .filter(
            r -> {
              Header h = r.headers().lastHeader(DeadLetterRedrive.REDRIVEN_FROM);
              return h != null && from.equals(new String(h.value(), StandardCharsets.UTF_8));
            })
        .count();
  }

  /**
   * A dead letter of a job that can run (as after a fix): the job's record, with the headers a
   * worker puts on a letter. Returns its offset.
   */
  long deadLetter(JobRequest job) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> letter =
          new ProducerRecord<>(
              deadLetters, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job));
      letter.headers().add(DeadLetterHeaders.REASON, bytes("a bug since fixed"));
      letter.headers().add(DeadLetterHeaders.ORIGINAL_TOPIC, bytes(jobs));
      letter.headers().add(DeadLetterHeaders.ORIGINAL_PARTITION, bytes("0"));
      letter.headers().add(DeadLetterHeaders.ORIGINAL_OFFSET, bytes("0"));
      letter.headers().add(DeadLetterHeaders.WORKER, bytes("console-worker-" + id));
      return producer.send(letter).get().offset();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  URI url(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + console.port() + pathAndQuery);
  }

  void submit(JobRequest job) throws Exception {
    send(job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job));
  }

  void sendEvent(StatusEvent event) throws Exception {
    send(events, event.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encodeEvent(event));
  }

  void send(byte[] key, byte[] value) throws Exception {
    send(jobs, key, value);
  }

  private void send(String topic, byte[] key, byte[] value) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  @Override
  public void close() {
    console.close();
    worker.close();
    simulator.close();
  }
}
