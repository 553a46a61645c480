package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.TraceHeaders;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import io.imagefleet.worker.tracing.JobTracing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;

/**
 * A fleet under test on the shared real broker: its own topics and consumer group (so tests never
 * see each other's records), workers started in this JVM, a producer for jobs, and collectors that
 * read the events and dead-letter topics the way downstream teams do ({@code read_committed}).
 */
final class TestFleet implements AutoCloseable {
  static final int PARTITIONS = 6;

  private final String id = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final UpstreamSimulator simulator;
  private final Path storage;
  private final List<Worker> workers = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Map<String, Path> processLogs = new HashMap<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final Collector events;
  private final Collector deadLetters;

  TestFleet(UpstreamSimulator simulator) throws Exception {
    this.simulator = simulator;
    this.storage = Files.createTempDirectory("imagefleet-images-");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(jobsTopic(), PARTITIONS, (short) 1),
                  new NewTopic(eventsTopic(), PARTITIONS, (short) 1),
                  new NewTopic(deadLetterTopic(), 1, (short) 1),
                  new NewTopic(stateTopic(), PARTITIONS, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(workersTopic(), 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(routeHealthTopic(), 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(callbacksTopic(), PARTITIONS, (short) 1),
                  new NewTopic(callbacksOwedTopic(), PARTITIONS, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(budgetsTopic(), 3, (short) 1),
                  new NewTopic(controlTopic(), 1, (short) 1)))
          .all()
          .get();
      // Created by the controller; wait until the broker serves their metadata too, or a worker
      // that describes them at once (the state-topic check) may hear "unknown topic".
      List<String> names = List.of(jobsTopic(), eventsTopic(), stateTopic());
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> admin.describeTopics(names).allTopicNames().get().size() == names.size());
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // One request in flight: the topics were just created, and a partition not yet ready refuses
    // a first batch while it takes the next, sent alongside, as the producer's first; the first
    // batch's retry is then out of order until it expires (OutOfOrderSequenceException, a 1,030
    // job publish failed so). In order, a refused batch is retried before any later one is sent.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.events = new Collector(bootstrap, eventsTopic(), PARTITIONS);
    this.deadLetters = new Collector(bootstrap, deadLetterTopic(), 1);
  }

  String jobsTopic() {
    return "jobs-" + id;
  }

  String eventsTopic() {
    return "events-" + id;
  }

  String stateTopic() {
    return "state-" + id;
  }

  String deadLetterTopic() {
    return "dlq-" + id;
  }

  /** Outcomes of callback deliveries. */
  String callbacksTopic() {
    return "callbacks-" + id;
  }

  /** Callbacks owed and their progress (internal). */
  String callbacksOwedTopic() {
    return "callbacks-owed-" + id;
  }

  /** The budget ledger. */
  String budgetsTopic() {
    return "budgets-" + id;
  }

  /** The compacted topic where the fleet's workers share what they learn about routes. */
  String routeHealthTopic() {
    return "route-health-" + id;
  }

  /** Cancel requests of every tenant (trusted); a tenant's own is under {@link #tenantPrefix}. */
  String controlTopic() {
    return "control-" + id;
  }

  /** Creates {@code tenant}'s own control topic. */
  void createControlTopic(String tenant) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(tenantControlTopic(tenant), 1, (short) 1)))
          .all()
          .get();
    }
  }

  /** {@code tenant}'s own control topic. */
  String tenantControlTopic(String tenant) {
    return new TenantTopics(tenantPrefix()).control(tenant);
  }

  /** Publishes a cancel request to {@code topic}, keyed as the contract says. */
  void cancel(String topic, CancelRequest request) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  request.key().getBytes(StandardCharsets.UTF_8),
                  JobCodec.encodeCancel(request)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a cancel request", e);
    }
  }

  /** Publishes a cancel request to the shared control topic. */
  void cancel(CancelRequest request) {
    cancel(controlTopic(), request);
  }

  /** The compacted topic of worker heartbeats. */
  String workersTopic() {
    return "workers-" + id;
  }

  String bootstrapServers() {
    return bootstrap;
  }

  Path storage() {
    return storage;
  }

  /**
   * A worker configuration for this fleet; {@code overrides} use the keys of docs/configuration.md.
   */
  WorkerConfig config(String workerId, Map<String, String> overrides) {
    return ConfigLoader.fromMap(configValues(workerId, overrides), Map.of());
  }

  /**
   * Starts a worker in its own JVM (this test JVM's classpath), so that a test can kill it with
   * SIGKILL: no shutdown hook, no hand-over, no last commit.
   */
  Process startWorkerProcess(String workerId, Map<String, String> overrides) throws IOException {
    Path file = Files.createTempFile("worker-", ".properties");
    Properties p = new Properties();
    p.putAll(configValues(workerId, overrides));
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, "test worker " + workerId);
    }
    Path log = Files.createTempFile("worker-" + workerId + "-", ".log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.imagefleet.worker.cli.WorkerCommand",
                "--config",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(process);
    processLogs.put(workerId, log);
    return process;
  }

  /** Where the worker process {@code workerId} writes its output. */
  Path processLog(String workerId) {
    return processLogs.get(workerId);
  }

  private Map<String, String> configValues(String workerId, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put("worker.id", workerId);
    values.put("kafka.bootstrap.servers", bootstrap);
    values.put("kafka.group.id", "group-" + id);
    values.put("topics.jobs", jobsTopic());
    values.put("topics.events", eventsTopic());
    values.put("topics.dead-letters", deadLetterTopic());
    values.put("topics.state", stateTopic());
    values.put("topics.route-health", routeHealthTopic());
    values.put("upstream.base-url", simulator.baseUrl().toString());
    values.put("upstream.allow-private-downloads", "true"); // result links on the local simulator
    values.put("upstream.api-key", simulator.apiKey());
    values.put("upstream.request-timeout", "5s");
    values.put("storage.directory", storage.toString());
    values.put("polling.min-interval", "200ms");
    values.put("polling.max-interval", "2s");
    values.put("retry.initial-backoff", "50ms");
    values.put("retry.max-backoff", "500ms");
    values.put("intake.shutdown-grace", "10s");
    values.put("topics.workers", workersTopic());
    values.put("topics.callbacks", callbacksTopic());
    values.put("topics.callbacks-owed", callbacksOwedTopic());
    values.put("topics.budgets", budgetsTopic());
    values.put("topics.control", controlTopic());
    values.put("tenants.topic-prefix", tenantPrefix());
    values.put("ops.port", "0"); // several workers in one JVM: each ops endpoint on a free port
    values.put("ops.heartbeat-interval", "1s");
    values.put("ops.probe-interval", "500ms");
    values.putAll(overrides);
    return values;
  }

  Worker startWorker(String workerId) {
    return startWorker(workerId, Map.of());
  }

  Worker startWorker(String workerId, Map<String, String> overrides) {
    Worker worker = Worker.start(config(workerId, overrides));
    workers.add(worker);
    return worker;
  }

  /** A worker in this JVM whose spans go to {@code tracing} (an in-memory exporter). */
  Worker startWorker(String workerId, Map<String, String> overrides, JobTracing tracing) {
    Worker worker = Worker.start(config(workerId, overrides), Clock.systemUTC(), tracing);
    workers.add(worker);
    return worker;
  }

  /** Publishes {@code job} with a W3C {@code traceparent} header, as a traced producer would. */
  void submitTraced(JobRequest job, String traceparent) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            jobsTopic(), job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job));
    record.headers().add(TraceHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a job", e);
    }
  }

  /** The event records of {@code jobId} as downstream reads them, headers included. */
  List<ConsumerRecord<byte[], byte[]>> eventRecordsOf(String jobId) {
    return events.records().stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(jobId))
        .toList();
  }

  void submit(JobRequest job) {
    send(job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job));
  }

  /**
   * Writes a job's state as a worker would (to the partition its job record goes to), for tests
   * that start from what an earlier owner left behind.
   */
  void writeState(JobState state) {
    int partition =
        Utils.toPositive(Utils.murmur2(state.jobId().getBytes(StandardCharsets.UTF_8)))
            % PARTITIONS;
    try {
      producer
          .send(
              new ProducerRecord<>(
                  stateTopic(),
                  partition,
                  state.key().getBytes(StandardCharsets.UTF_8),
                  StateCodec.encode(state)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write a job state", e);
    }
  }

  /**
   * Publishes {@code jobs} together, as a backlog: one flush, not one acknowledged send after
   * another.
   */
  void submitTogether(List<JobRequest> jobs) {
    submitTogetherTo(jobsTopic(), jobs);
  }

  /** Publishes {@code jobs} together to {@code topic} (a tenant's own jobs topic), as a backlog. */
  void submitTogetherTo(String topic, List<JobRequest> jobs) {
    List<Future<?>> sent = new ArrayList<>();
    for (JobRequest job : jobs) {
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job))));
    }
    producer.flush();
    try {
      for (Future<?> f : sent) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a job", e);
    }
  }

  /** This fleet's {@code tenants.topic-prefix}, so tenants' topics are its own too. */
  String tenantPrefix() {
    return "tenants-" + id + ".";
  }

  /** Publishes {@code job} to {@code topic} (a tenant's own jobs topic), keyed by its job id. */
  void submitTo(String topic, JobRequest job) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a job", e);
    }
  }

  void send(byte[] key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(jobsTopic(), key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a job", e);
    }
  }

  /** Waits up to two minutes until every one of {@code jobs} has a terminal event. */
  void awaitEnded(List<JobRequest> jobs) {
    List<String> ids = jobs.stream().map(JobRequest::jobId).toList();
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> terminalEvents().keySet().containsAll(ids));
  }

  /**
   * Each of {@code jobs} succeeded once, and every task beyond the one that ended shows on that
   * ending as an unconfirmed submission: a worker killed between the upstream's acceptance and the
   * acknowledgement of the task id may cost a second task, but never silently. (An unconfirmed
   * creation that the upstream never received costs nothing, hence at most.)
   */
  void assertEachSucceededOncePaidAsReported(List<JobRequest> jobs) {
    Map<String, List<StatusEvent>> terminals = terminalEvents();
    for (JobRequest job : jobs) {
      List<StatusEvent> ends = terminals.get(job.jobId());
      assertThat(ends).as("terminal events of %s", job.jobId()).hasSize(1);
      assertThat(ends.get(0).status()).as(job.jobId()).isEqualTo(JobStatus.SUCCEEDED);
      int unconfirmed =
          ends.get(0).unconfirmedSubmissions() == null ? 0 : ends.get(0).unconfirmedSubmissions();
      assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt()))
          .as("paid tasks of %s", job.jobId())
          .isBetween(1L, 1L + unconfirmed);
    }
  }

  List<StatusEvent> events() {
    return events.records().stream().map(r -> JobCodec.decodeEvent(r.value())).toList();
  }

  List<StatusEvent> eventsOf(String jobId) {
    return events().stream().filter(e -> e.jobId().equals(jobId)).toList();
  }

  /** Terminal events per job id. */
  Map<String, List<StatusEvent>> terminalEvents() {
    return events().stream()
        .filter(StatusEvent::isTerminal)
        .collect(Collectors.groupingBy(StatusEvent::jobId));
  }

  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.records();
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
    workers.forEach(
        w -> {
          if (w.isRunning()) {
            w.close();
          }
        });
    events.close();
    deadLetters.close();
    producer.close(Duration.ofSeconds(5));
  }

  /** Reads a topic from the beginning on its own thread, as a downstream consumer would. */
  static final class Collector implements AutoCloseable {
    private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Collector(String bootstrap, String topic, int partitions) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        parts.add(new TopicPartition(topic, i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      this.thread =
          new Thread(
              () -> {
                try (consumer) {
                  while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                  }
                }
              },
              "collector-" + topic);
      thread.setDaemon(true);
      thread.start();
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
      return List.copyOf(records);
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
