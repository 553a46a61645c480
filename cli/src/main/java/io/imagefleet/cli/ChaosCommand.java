package io.imagefleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet chaos}: worker processes killed with SIGKILL and restarted while a batch runs.
 * Counts with an independent {@code read_committed} reader and the simulator's tally of paid tasks;
 * writes {@code target/bench/chaos.json}.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Runs a batch through worker processes while a random one is killed (SIGKILL) and restarted",
        "every few seconds; checks that no job is lost, none ends twice and none is paid for twice.",
        "Writes target/bench/chaos.json."})
final class ChaosCommand implements Callable<Integer> {
  private static final int PARTITIONS = 12;

  @Option(names = "--jobs", defaultValue = "1000", description = "Jobs (default ${DEFAULT-VALUE}).") int jobs;
  @Option(names = "--workers", defaultValue = "3", description = "Worker processes (default ${DEFAULT-VALUE}).") int workers;
  @Option(names = "--kill-every", defaultValue = "6", description = "Seconds between kills (default ${DEFAULT-VALUE}).") int killEvery;
  @Option(names = "--restart-after", defaultValue = "2", description = "Seconds before a killed worker restarts (default ${DEFAULT-VALUE}).") int restartAfter;
  @Option(names = "--task-seconds", defaultValue = "5", description = "Median upstream task time; long-tailed, p99 4x (default ${DEFAULT-VALUE}).") int taskSeconds;
  @Option(names = "--timeout", defaultValue = "600", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).") int timeoutSeconds;
  @Option(names = "--seed", defaultValue = "7", description = "Seed of the kill schedule (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--output", defaultValue = "target/bench/chaos.json", description = "Where the figures go (default ${DEFAULT-VALUE}).") Path output;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("imagefleet-chaos-");
    Files.createDirectories(root.resolve("logs"));
    System.out.printf("chaos: %d jobs, %d worker processes, SIGKILL every %d s (restart after %d s); logs in %s%n",
        jobs, workers, killEvery, restartAfter, root.resolve("logs"));
    List<WorkerProcess> fleet = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(root.resolve("kafka")).start();
         UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorConfig.builder()
             .taskDuration(DurationDistribution.logNormal(Duration.ofSeconds(taskSeconds),
                 Duration.ofSeconds(4L * taskSeconds))).build())) {
      Properties client = new Properties();
      client.put("bootstrap.servers", broker.bootstrapServers());
      var layout = new TopicSetup.Layout("chaos.jobs", "chaos.events", "chaos.dlq", PARTITIONS, (short) 1);
      TopicSetup.ensure(client, layout);
      Path config = writeConfig(root, broker, simulator, layout);
      for (int i = 1; i <= workers; i++) {
        fleet.add(start(i, config, simulator, root));
      }
      List<JobRequest> batch = BatchRuns.publish(client, layout.jobs(), "chaos", jobs, 4);
      Instant started = Instant.now();
      Tally tally = run(client, layout, batch, fleet, config, simulator, root, started);
      ObjectNode figures = figures(tally, batch, simulator, started);
      BatchRuns.write(figures, output);
      boolean ok = figures.get("lost").asInt() == 0 && figures.get("duplicate_terminal_events").asInt() == 0
          && figures.get("unreported_duplicate_submissions").asInt() == 0;
      System.out.println(ok ? "PASS: no job lost, none ended twice, every second payment reported on its job" : "FAIL");
      return ok ? 0 : 1;
    } finally {
      fleet.forEach(WorkerProcess::close);
    }
  }

  private WorkerProcess start(int i, Path config, UpstreamSimulator simulator, Path root) throws Exception {
    // A fixed id per slot: the restarted worker reuses its transactional id, which aborts the killed
    // incarnation's open transaction at once instead of after the transaction timeout, and its static
    // group membership, so it takes its partitions back without a rebalance of the whole group.
    return WorkerProcess.start("chaos-worker-" + i, config,
        Map.of("IMAGEFLEET_UPSTREAM_API_KEY", simulator.apiKey(), "IMAGEFLEET_WORKER_ID", "chaos-worker-" + i,
            "IMAGEFLEET_KAFKA_GROUP_INSTANCE_ID", "chaos-worker-" + i),
        root.resolve("logs/chaos-worker-" + i + "-" + System.nanoTime() + ".log"));
  }

  private static Path writeConfig(Path root, EmbeddedKafkaBroker broker, UpstreamSimulator simulator,
      TopicSetup.Layout layout) throws Exception {
    Path config = root.resolve("worker.properties");
    Files.writeString(config, String.join("\n",
        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "kafka.group.id=chaos-workers",
        "kafka.session.timeout.ms=6000",
        "kafka.heartbeat.interval.ms=1000",
        "topics.jobs=" + layout.jobs(),
        "topics.events=" + layout.events(),
        "topics.dead-letters=" + layout.deadLetters(),
        "topics.state=chaos.state",
        "topics.workers=chaos.workers",
        "upstream.base-url=" + simulator.baseUrl(),
        "upstream.allow-private-downloads=true",
        "intake.max-in-flight=400",
        "state.transaction-timeout=5s",
        "polling.min-interval=500ms",
        "polling.max-interval=3s",
        "ops.port=0",
        "storage.directory=" + root.resolve("images"),
        ""));
    return config;
  }

  /** What the independent reader saw, and how long killed workers' jobs took to move again. */
  private static final class Tally {
    final Map<String, Integer> terminalCount = new HashMap<>();
    final Map<String, StatusEvent> lastEvent = new HashMap<>();
    final Map<String, StatusEvent> firstTerminal = new HashMap<>();
    final List<Double> recoveries = new ArrayList<>();
    final List<Kill> openKills = new ArrayList<>();
    int kills;
  }

  /** A kill and the jobs it stranded: each recovers when any worker publishes an event for it. */
  private record Kill(String worker, Instant at, Set<String> stranded) {}

  private Tally run(Properties client, TopicSetup.Layout layout, List<JobRequest> batch, List<WorkerProcess> fleet,
      Path config, UpstreamSimulator simulator, Path root, Instant started) throws Exception {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Tally tally = new Tally();
    Random random = new Random(seed);
    Instant nextKill = started.plusSeconds(killEvery);
    Map<Integer, Instant> restartAt = new HashMap<>();
    Instant lastLine = Instant.EPOCH;
    try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        parts.add(new TopicPartition(layout.events(), i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Instant deadline = started.plusSeconds(timeoutSeconds);
      while (tally.terminalCount.size() < batch.size() && Instant.now().isBefore(deadline)) {
        Instant now = Instant.now();
        if (now.isAfter(nextKill) && restartAt.isEmpty()) {
          int victim = random.nextInt(fleet.size());
          String name = fleet.get(victim).name();
          Set<String> stranded = new HashSet<>();
          tally.lastEvent.forEach((job, e) -> {
            if (!e.isTerminal() && name.equals(e.workerId())) {
              stranded.add(job);
            }
          });
          fleet.get(victim).kill();
          tally.kills++;
          tally.openKills.add(new Kill(name, now, stranded));
          restartAt.put(victim, now.plusSeconds(restartAfter));
          nextKill = now.plusSeconds(killEvery);
          System.out.printf("[%3ds] SIGKILL %s (%d job(s) in flight on it)%n",
              Duration.between(started, now).toSeconds(), name, stranded.size());
        }
        for (var entry : new HashMap<>(restartAt).entrySet()) {
          if (now.isAfter(entry.getValue())) {
            fleet.set(entry.getKey(), start(entry.getKey() + 1, config, simulator, root));
            restartAt.remove(entry.getKey());
          }
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          record(tally, JobCodec.decodeEvent(r.value()));
        }
        if (Duration.between(lastLine, now).toSeconds() >= 5) {
          lastLine = now;
          System.out.printf("[%3ds] %d/%d ended; paid tasks %d; kills %d%n", Duration.between(started, now).toSeconds(),
              tally.terminalCount.size(), batch.size(), simulator.stats().tasksCreated(), tally.kills);
        }
      }
    }
    return tally;
  }

  private static void record(Tally tally, StatusEvent e) {
    tally.lastEvent.put(e.jobId(), e);
    if (e.isTerminal()) {
      tally.terminalCount.merge(e.jobId(), 1, Integer::sum);
      tally.firstTerminal.putIfAbsent(e.jobId(), e);
    }
    for (Kill kill : tally.openKills) {
      if (e.occurredAt().isAfter(kill.at()) && kill.stranded().remove(e.jobId())) {
        tally.recoveries.add(Duration.between(kill.at(), e.occurredAt()).toMillis() / 1000.0);
      }
    }
    tally.openKills.removeIf(k -> k.stranded().isEmpty());
  }

  private ObjectNode figures(Tally tally, List<JobRequest> batch, UpstreamSimulator simulator, Instant started) {
    var stats = simulator.stats();
    long duplicateSubmissions = BatchRuns.duplicateSubmissions(batch, stats);
    List<Double> sorted = tally.recoveries.stream().sorted().toList();
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("jobs", batch.size());
    o.put("terminal", tally.terminalCount.size());
    o.put("lost", batch.size() - tally.terminalCount.size());
    o.put("duplicate_submissions", duplicateSubmissions);
    o.put("unconfirmed_submissions_reported", BatchRuns.reportedUnconfirmed(tally.firstTerminal));
    o.put("unreported_duplicate_submissions", BatchRuns.unreportedDuplicates(batch, tally.firstTerminal, stats));
    o.put("duplicate_terminal_events", tally.terminalCount.values().stream().mapToInt(c -> c - 1).sum());
    o.put("kills", tally.kills);
    o.put("max_recovery_s", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    o.put("p50_recovery_s", sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2));
    o.put("stranded_jobs_recovered", sorted.size());
    o.put("paid_tasks", stats.tasksCreated());
    o.put("elapsed_s", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    return o;
  }
}
