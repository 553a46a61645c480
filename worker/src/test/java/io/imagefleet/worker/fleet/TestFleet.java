package io.imagefleet.worker.fleet;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
  private final KafkaProducer<byte[], byte[]> producer;
  private final Collector events;
  private final Collector deadLetters;

  TestFleet(UpstreamSimulator simulator) throws Exception {
    this.simulator = simulator;
    this.storage = Files.createTempDirectory("imagefleet-images-");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(
          new NewTopic(jobsTopic(), PARTITIONS, (short) 1),
          new NewTopic(eventsTopic(), PARTITIONS, (short) 1),
          new NewTopic(deadLetterTopic(), 1, (short) 1))).all().get();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
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

  String deadLetterTopic() {
    return "dlq-" + id;
  }

  Path storage() {
    return storage;
  }

  /** A worker configuration for this fleet; {@code overrides} use the README's keys. */
  WorkerConfig config(String workerId, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put("worker.id", workerId);
    values.put("kafka.bootstrap.servers", bootstrap);
    values.put("kafka.group.id", "group-" + id);
    values.put("topics.jobs", jobsTopic());
    values.put("topics.events", eventsTopic());
    values.put("topics.dead-letters", deadLetterTopic());
    values.put("upstream.base-url", simulator.baseUrl().toString());
    values.put("upstream.api-key", simulator.apiKey());
    values.put("upstream.request-timeout", "5s");
    values.put("storage.directory", storage.toString());
    values.put("polling.min-interval", "200ms");
    values.put("polling.max-interval", "2s");
    values.put("retry.initial-backoff", "50ms");
    values.put("retry.max-backoff", "500ms");
    values.put("intake.shutdown-grace", "10s");
    values.putAll(overrides);
    return ConfigLoader.fromMap(values, Map.of());
  }

  Worker startWorker(String workerId) {
    return startWorker(workerId, Map.of());
  }

  Worker startWorker(String workerId, Map<String, String> overrides) {
    Worker worker = Worker.start(config(workerId, overrides));
    workers.add(worker);
    return worker;
  }

  void submit(JobRequest job) {
    send(job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job));
  }

  void send(byte[] key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(jobsTopic(), key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a job", e);
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
    return events().stream().filter(StatusEvent::isTerminal).collect(Collectors.groupingBy(StatusEvent::jobId));
  }

  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.records();
  }

  @Override
  public void close() {
    workers.forEach(w -> {
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
      KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        parts.add(new TopicPartition(topic, i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      this.thread = new Thread(() -> {
        try (consumer) {
          while (running) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
          }
        }
      }, "collector-" + topic);
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
