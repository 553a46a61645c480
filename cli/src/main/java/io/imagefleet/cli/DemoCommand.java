package io.imagefleet.cli;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Money;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.SimulatorStats;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet demo}: the whole system on one machine. Starts a real Kafka broker in this JVM and
 * the upstream simulator, runs worker processes (separate JVMs, as in production), publishes a sample
 * batch, shows progress live and prints a summary once every job has ended.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the whole fleet on this machine and a sample batch through it.",
        "Starts an embedded Kafka broker, the upstream simulator and worker processes, then publishes",
        "jobs (good, invalid, refused, one malformed record) and follows them live.",
        "Images land under --data-dir; worker logs under --data-dir/logs. Exits 0 once every job has ended."})
final class DemoCommand implements Callable<Integer> {
  private static final int PARTITIONS = 6;

  @Option(names = "--jobs", defaultValue = "20", description = "Valid jobs in the batch (default ${DEFAULT-VALUE}); 4 failing ones are added.")
  int validJobs;

  @Option(names = "--workers", defaultValue = "2", description = "Worker processes (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--data-dir", defaultValue = "data/demo", description = "Where images, logs and broker data go (default ${DEFAULT-VALUE}); cleared first.")
  Path dataDir;

  @Option(names = "--task-seconds", defaultValue = "3..10",
      description = "Simulated upstream task time, MIN..MAX seconds (default ${DEFAULT-VALUE}; real tasks take 10-100 s).")
  String taskSeconds;

  @Option(names = "--timeout", defaultValue = "180", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (validJobs < 1 || workers < 1) {
      throw new UserError("--jobs and --workers must be at least 1");
    }
    Instant started = Instant.now();
    Path root = prepareDataDir();
    String apiKey = "sk-demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    out.println("imagefleet demo: data in " + root);
    out.println("[1/5] starting a Kafka broker (KRaft, in this JVM)...");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(root.resolve("kafka")).start();
         UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorConfig.builder()
             .apiKey(apiKey).taskDuration(taskDuration()).build())) {
      out.println("      broker " + broker.bootstrapServers() + ", upstream simulator " + simulator.baseUrl());
      Properties client = new Properties();
      client.put("bootstrap.servers", broker.bootstrapServers());
      var layout = new TopicSetup.Layout(io.imagefleet.contracts.Topics.JOBS, io.imagefleet.contracts.Topics.JOB_EVENTS,
          io.imagefleet.contracts.Topics.DEAD_LETTERS, PARTITIONS, (short) 1);
      TopicSetup.ensure(client, layout);

      out.println("[2/5] starting " + workers + " worker process(es)...");
      Path config = writeWorkerConfig(root, broker.bootstrapServers(), simulator);
      List<WorkerProcess> fleet = new ArrayList<>();
      try {
        for (int i = 1; i <= workers; i++) {
          fleet.add(WorkerProcess.start("worker-" + i, config,
              Map.of("IMAGEFLEET_UPSTREAM_API_KEY", apiKey, "IMAGEFLEET_WORKER_ID", "demo-worker-" + i),
              root.resolve("logs/worker-" + i + ".log")));
        }
        String runId = "demo-" + Long.toString(started.getEpochSecond(), 36);
        List<JobRequest> jobs = DemoJobs.batch(runId, validJobs);
        out.println("[3/5] publishing " + jobs.size() + " jobs and 1 malformed record to " + layout.jobs() + "...");
        publish(client, layout.jobs(), jobs, runId);

        out.println("[4/5] following " + layout.events() + " (live):");
        ProgressBoard board = new ProgressBoard(jobs.stream().map(JobRequest::jobId).collect(Collectors.toSet()));
        int deadLetters = follow(client, layout, board, fleet, started);

        out.println("[5/5] stopping the workers (SIGTERM)...");
        fleet.forEach(WorkerProcess::close);
        fleet.clear();
        printSummary(board, deadLetters, simulator.stats(), root, started);
        return board.allTerminal() && deadLetters == 1 ? 0 : 1;
      } finally {
        fleet.forEach(WorkerProcess::close);
      }
    }
  }

  private Path prepareDataDir() throws IOException {
    Path root = dataDir.toAbsolutePath().normalize();
    if (Files.exists(root)) {
      try (var paths = Files.walk(root)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(root.resolve("logs"));
    return root;
  }

  private DurationDistribution taskDuration() {
    String[] range = taskSeconds.split("\\.\\.");
    try {
      long min = Long.parseLong(range[0].trim());
      long max = Long.parseLong(range[range.length - 1].trim());
      if (min < 0 || max < min) {
        throw new NumberFormatException();
      }
      return DurationDistribution.uniform(Duration.ofSeconds(min), Duration.ofSeconds(max));
    } catch (NumberFormatException e) {
      throw new UserError("--task-seconds must look like 3..10 (MIN..MAX seconds), but was '" + taskSeconds + "'");
    }
  }

  /** The API key is not written here: the workers get it from the environment. */
  private static Path writeWorkerConfig(Path root, String bootstrap, UpstreamSimulator simulator) throws IOException {
    Path config = root.resolve("worker.properties");
    Files.writeString(config, String.join("\n",
        "# Written by 'imagefleet demo'. The API key comes from IMAGEFLEET_UPSTREAM_API_KEY.",
        "kafka.bootstrap.servers=" + bootstrap,
        "kafka.group.id=imagefleet-demo",
        "upstream.base-url=" + simulator.baseUrl(),
        "# The simulator's result links are on this machine: allow downloads from loopback.",
        "upstream.allow-private-downloads=true",
        "storage.directory=" + root.resolve("images"),
        "intake.max-in-flight=64",
        "polling.min-interval=1s",
        "polling.max-interval=2s",
        "polling.running-event-every=2s",
        "retry.initial-backoff=300ms",
        "# Several workers on one machine: each ops endpoint (/metrics, /health/*, /status) on a free port.",
        "ops.port=0",
        "ops.heartbeat-interval=2s",
        ""));
    return config;
  }

  private static void publish(Properties client, String topic, List<JobRequest> jobs, String runId) throws Exception {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (JobRequest job : jobs) {
        producer.send(new ProducerRecord<>(topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)));
      }
      // Not JSON at all: the workers must dead-letter it and go on.
      producer.send(new ProducerRecord<>(topic, (runId + "-malformed").getBytes(StandardCharsets.UTF_8),
          "{\"job_id\": \"oops\", \"prompt\": unquoted text".getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  /** Reads events and dead letters until every job ended; prints terminal events and a progress line. */
  private int follow(Properties client, TopicSetup.Layout layout, ProgressBoard board, List<WorkerProcess> fleet,
      Instant started) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    int deadLetters = 0;
    Instant deadline = started.plusSeconds(timeoutSeconds);
    Instant lastLine = Instant.EPOCH;
    String last = "";
    try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        parts.add(new TopicPartition(layout.events(), i));
      }
      parts.add(new TopicPartition(layout.deadLetters(), 0));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (!(board.allTerminal() && deadLetters >= 1)) {
        if (Instant.now().isAfter(deadline)) {
          out.println("      timed out after " + timeoutSeconds + " s; see the worker logs");
          break;
        }
        if (fleet.stream().noneMatch(WorkerProcess::isAlive)) {
          out.println("      every worker process has exited; see " + dataDir.resolve("logs"));
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          if (r.topic().equals(layout.deadLetters())) {
            deadLetters++;
            out.println("      DEAD-LETTER " + new String(r.key(), StandardCharsets.UTF_8) + "  reason="
                + header(r, io.imagefleet.contracts.DeadLetterHeaders.REASON));
            continue;
          }
          StatusEvent e = JobCodec.decodeEvent(r.value());
          if (board.record(e)) {
            out.println("      " + EventLine.format(e));
          }
        }
        String line = board.line();
        if (!line.equals(last) && Duration.between(lastLine, Instant.now()).toMillis() >= 2000) {
          out.printf("      [%3ds] %s%n", Duration.between(started, Instant.now()).toSeconds(), line);
          last = line;
          lastLine = Instant.now();
        }
      }
    }
    return deadLetters;
  }

  private void printSummary(ProgressBoard board, int deadLetters, SimulatorStats stats, Path root, Instant started) {
    Map<JobStatus, Integer> byStatus = board.byStatus();
    double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
    out.println();
    out.println("Summary");
    out.printf("  jobs:         %d ended of %d (SUCCEEDED %d, FAILED %d), duplicate terminal events %d%n",
        board.terminalCount(), board.expectedCount(),
        byStatus.getOrDefault(JobStatus.SUCCEEDED, 0), byStatus.getOrDefault(JobStatus.FAILED, 0),
        board.duplicateTerminals());
    out.println("  failures:     " + (board.failureCodes().isEmpty() ? "none" : board.failureCodes()));
    out.println("  dead letters: " + deadLetters + " (malformed records, kept byte for byte in the dead-letter topic)");
    out.printf("  images:       %d saved (%,d bytes) under %s%n", board.images(), board.imageBytes(), root.resolve("images"));
    out.printf("  cost:         $%s for %,d tokens%n", Money.format(board.cost()), board.tokens());
    out.printf("  upstream:     %d task(s) created, %d create call(s), %d poll(s), %d download(s)%n",
        stats.tasksCreated(), stats.createRequests(), stats.queryRequests(), stats.downloadRequests());
    out.println("  workers:      " + board.jobsPerWorker() + " (jobs ended per worker)");
    out.println("  logs:         " + root.resolve("logs"));
    out.printf("  elapsed:      %.1f s%n", seconds);
    out.println(board.allTerminal() ? "Every job reached a terminal status." : "NOT every job ended: see the worker logs.");
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
