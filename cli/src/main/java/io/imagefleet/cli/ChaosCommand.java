package io.imagefleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.bench.harness.EventsReader;
import io.imagefleet.bench.harness.EventsReader.DeadLetter;
import io.imagefleet.bench.harness.Sandbox;
import io.imagefleet.bench.harness.Tally;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.io.IOException;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet chaos}: worker processes killed with SIGKILL and restarted while a batch runs.
 * Counts with an independent {@code read_committed} reader and the simulator's tally of paid tasks;
 * writes {@code target/bench/chaos.json}.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a batch through worker processes while they are killed and restarted.",
      "A random one is killed (SIGKILL) and restarted every few seconds; the run checks that no"
          + " job is lost, none ends twice and none is paid for twice. Writes"
          + " target/bench/chaos.json."
    })
final class ChaosCommand implements Callable<Integer> {
  private static final int PARTITIONS = 12;

  @Option(names = "--jobs", defaultValue = "1000", description = "Jobs.")
  int jobs;

  @Option(names = "--workers", defaultValue = "3", description = "Worker processes.")
  int workers;

  @Option(
      names = "--kill-every",
      defaultValue = "6",
      description =
          "Seconds between kills; a worker is killed again only once it has been up this long.")
  int killEvery;

  @Option(
      names = "--restart-after",
      defaultValue = "2",
      description = "Seconds before a killed worker restarts.")
  int restartAfter;

  @Option(
      names = "--task-seconds",
      defaultValue = "5",
      description = "Median upstream task time; long-tailed, p99 4x.")
  int taskSeconds;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description = "Give up after this many seconds.")
  int timeoutSeconds;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the kill schedule.")
  long seed;

  @Option(
      names = "--output",
      defaultValue = "target/bench/chaos.json",
      description = "Where the figures go.")
  Path output;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("imagefleet-chaos-");
    Files.createDirectories(root.resolve("logs"));
    System.out.printf(
        "chaos: %d jobs, %d worker processes, SIGKILL every %d s (restart after %d s); logs in %s%n",
        jobs, workers, killEvery, restartAfter, root.resolve("logs"));
    List<WorkerProcess> fleet = new ArrayList<>();
    try (Sandbox sandbox =
        Sandbox.start(
            root,
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.logNormal(
                        Duration.ofSeconds(taskSeconds), Duration.ofSeconds(4L * taskSeconds)))
                .build())) {
      UpstreamSimulator simulator = sandbox.simulator();
      Properties client = sandbox.clientProperties();
      var layout =
          new TopicSetup.Layout("chaos.jobs", "chaos.events", "chaos.dlq", PARTITIONS, (short) 1);
      TopicSetup.ensure(client, layout);
      Path config = writeConfig(root, sandbox, layout);
      // The backlog first, then the fleet: the kill schedule counts from the fleet's start, so a
      // slow publish (a loaded machine) cannot let the batch end before the first kill.
      List<JobRequest> batch = BatchRuns.publish(client, layout.jobs(), "chaos", jobs, 4);
      for (int i = 1; i <= workers; i++) {
        fleet.add(start(i, config, simulator, root));
      }
      Instant started = Instant.now();
      Tally tally = new Tally(BatchRuns.jobIds(batch));
      Kills kills = new Kills();
      try (var reader =
          EventsReader.start(
              client, layout.eventTopics(), JobCodec::decodeEvent, kills.watching(tally))) {
        run(tally, kills, reader, fleet, config, simulator, root, started);
      }
      ObjectNode figures = figures(tally, kills, batch, simulator, started);
      return BatchRuns.verdict(
          figures,
          output,
          "no job lost, none ended twice, every second payment reported on its job",
          "lost",
          "duplicate_terminal_events",
          "unreported_duplicate_submissions");
    } finally {
      fleet.forEach(WorkerProcess::close);
    }
  }

  private WorkerProcess start(int i, Path config, UpstreamSimulator simulator, Path root)
      throws Exception {
    // A fixed id per slot: the restarted worker reuses its transactional id, which aborts the
    // killed incarnation's open transaction at once instead of after the transaction timeout, and
    // its static group membership, so it takes its partitions back without a rebalance of the
    // whole group.
    return WorkerProcess.start(
        "chaos-worker-" + i,
        config,
        Map.of(
            "IMAGEFLEET_UPSTREAM_API_KEY",
            simulator.apiKey(),
            "IMAGEFLEET_WORKER_ID",
            "chaos-worker-" + i,
            "IMAGEFLEET_KAFKA_GROUP_INSTANCE_ID",
            "chaos-worker-" + i),
        root.resolve("logs/chaos-worker-" + i + "-" + System.nanoTime() + ".log"));
  }

  private static Path writeConfig(Path root, Sandbox sandbox, TopicSetup.Layout layout)
      throws IOException {
    Map<String, String> values = sandbox.workerSettings(root.resolve("images"));
    values.put("kafka.group.id", "chaos-workers");
    values.put("kafka.session.timeout.ms", "6000");
    values.put("kafka.heartbeat.interval.ms", "1000");
    values.putAll(layout.workerTopics("chaos.state", "chaos.workers"));
    values.put("intake.max-in-flight", "400");
    values.put("state.transaction-timeout", "5s");
    values.put("polling.min-interval", "500ms");
    values.put("polling.max-interval", "3s");
    return Sandbox.writeWorkerConfig(
        root.resolve("worker.properties"), "Written by 'imagefleet chaos'.", values);
  }

  /**
   * The kills and the jobs each stranded: a stranded job recovers when any worker publishes an
   * event for it after the kill. Fed by the events reader's thread and by the thread that kills,
   * hence locked.
   */
  private static final class Kills {
    private final List<Kill> open = new ArrayList<>();
    private final List<Double> recoveries = new ArrayList<>();
    private int count;

    private record Kill(Instant at, Set<String> stranded) {}

    /** Records each event in {@code tally}, then as a possible recovery. */
    EventsReader.Listener<StatusEvent> watching(Tally tally) {
      return new EventsReader.Listener<>() {
        @Override
        public void onEvent(StatusEvent e) {
          tally.record(e);
          recover(e);
        }

        @Override
        public void onDeadLetter(DeadLetter letter) {
          tally.onDeadLetter(letter);
        }
      };
    }

    synchronized void killed(Instant at, Set<String> stranded) {
      count++;
      open.add(new Kill(at, new HashSet<>(stranded)));
    }

    private synchronized void recover(StatusEvent e) {
      for (Kill kill : open) {
        if (e.occurredAt().isAfter(kill.at()) && kill.stranded().remove(e.jobId())) {
          recoveries.add(Duration.between(kill.at(), e.occurredAt()).toMillis() / 1000.0);
        }
      }
      open.removeIf(k -> k.stranded().isEmpty());
    }

    synchronized int count() {
      return count;
    }

    synchronized List<Double> recoveriesSorted() {
      return recoveries.stream().sorted().toList();
    }
  }

  /**
   * The workers up for a whole interval: one killed again while it restarts never gets its
   * partitions' jobs going, and the batch stalls until chance spares it.
   */
  private List<Integer> victims(Map<Integer, Instant> upSince, Instant now) {
    return upSince.entrySet().stream()
        .filter(e -> !e.getValue().plusSeconds(killEvery).isAfter(now))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  private void run(
      Tally tally,
      Kills kills,
      EventsReader<?> reader,
      List<WorkerProcess> fleet,
      Path config,
      UpstreamSimulator simulator,
      Path root,
      Instant started)
      throws Exception {
    Random random = new Random(seed);
    Instant nextKill = started.plusSeconds(killEvery);
    Map<Integer, Instant> restartAt = new HashMap<>();
    Map<Integer, Instant> upSince = new HashMap<>();
    for (int i = 0; i < fleet.size(); i++) {
      upSince.put(i, started);
    }
    Instant lastLine = Instant.EPOCH;
    Instant deadline = started.plusSeconds(timeoutSeconds);
    while (!tally.allEnded() && reader.isReading() && Instant.now().isBefore(deadline)) {
      Instant now = Instant.now();
      List<Integer> victims =
          now.isAfter(nextKill) && restartAt.isEmpty() ? victims(upSince, now) : List.of();
      if (!victims.isEmpty()) {
        int victim = victims.get(random.nextInt(victims.size()));
        String name = fleet.get(victim).name();
        Set<String> stranded = tally.inFlightOn(name);
        fleet.get(victim).kill();
        kills.killed(now, stranded);
        restartAt.put(victim, now.plusSeconds(restartAfter));
        upSince.remove(victim);
        nextKill = now.plusSeconds(killEvery);
        System.out.printf(
            "[%3ds] SIGKILL %s (%d job(s) in flight on it)%n",
            Duration.between(started, now).toSeconds(), name, stranded.size());
      }
      for (var entry : new HashMap<>(restartAt).entrySet()) {
        if (now.isAfter(entry.getValue())) {
          fleet.set(entry.getKey(), start(entry.getKey() + 1, config, simulator, root));
          upSince.put(entry.getKey(), Instant.now());
          restartAt.remove(entry.getKey());
        }
      }
      tally.awaitChange(Duration.ofMillis(200));
      if (Duration.between(lastLine, now).toSeconds() >= 5) {
        lastLine = now;
        System.out.printf(
            "[%3ds] %d/%d ended; paid tasks %d; kills %d%n",
            Duration.between(started, now).toSeconds(),
            tally.endedCount(),
            tally.expectedCount(),
            simulator.stats().tasksCreated(),
            kills.count());
      }
    }
  }

  private ObjectNode figures(
      Tally tally,
      Kills kills,
      List<JobRequest> batch,
      UpstreamSimulator simulator,
      Instant started) {
    var stats = simulator.stats();
    Map<String, StatusEvent> endings = tally.endings();
    List<Double> sorted = kills.recoveriesSorted();
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("jobs", batch.size());
    o.put("terminal", tally.endedCount());
    o.put("lost", batch.size() - tally.endedCount());
    o.put("duplicate_submissions", BatchRuns.duplicateSubmissions(batch, stats));
    o.put("unconfirmed_submissions_reported", BatchRuns.reportedUnconfirmed(endings));
    o.put(
        "unreported_duplicate_submissions", BatchRuns.unreportedDuplicates(batch, endings, stats));
    o.put("duplicate_terminal_events", tally.duplicateEndings());
    o.put("kills", kills.count());
    o.put("max_recovery_s", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    o.put("p50_recovery_s", sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2));
    o.put("stranded_jobs_recovered", sorted.size());
    o.put("paid_tasks", stats.tasksCreated());
    o.put("elapsed_s", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    return o;
  }
}
