package io.imagefleet.cli;

import io.imagefleet.bench.harness.EventsReader;
import io.imagefleet.bench.harness.EventsReader.DeadLetter;
import io.imagefleet.bench.harness.Sandbox;
import io.imagefleet.bench.harness.Tally;
import io.imagefleet.cli.console.ActionSettings;
import io.imagefleet.cli.console.Console;
import io.imagefleet.cli.console.ConsoleSettings;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Money;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.Topics;
import io.imagefleet.sandbox.OwnedDirectory;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.SimulatorStats;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.cli.ExitCode;
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
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet demo}: the whole system on one machine. Starts a real Kafka broker in this JVM
 * and the upstream simulator, runs worker processes (separate JVMs, as in production), publishes a
 * sample batch, shows progress live and prints a summary once every job has ended.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole fleet on this machine and a sample batch through it.",
      "Starts an embedded Kafka broker, the upstream simulator and worker processes, then"
          + " publishes jobs (good, invalid, refused, one malformed record) and follows them live."
          + " Images land under --data-dir; worker logs under --data-dir/logs. Exits 0 once every"
          + " job has ended; with --console it keeps the fleet up and serves the web console"
          + " until Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {
  private static final int PARTITIONS = 6;

  @Option(
      names = "--jobs",
      defaultValue = "20",
      description = "Valid jobs in the batch; 4 failing ones are added.")
  int validJobs;

  @Option(names = "--workers", defaultValue = "2", description = "Worker processes.")
  int workers;

  @Option(
      names = "--data-dir",
      defaultValue = "data/demo",
      description =
          "Where images, logs and broker data go (default ${DEFAULT-VALUE}); a directory an"
              + " earlier demo made is cleared first, any other non-empty one is refused.")
  Path dataDir;

  @Option(
      names = "--task-seconds",
      defaultValue = "3..10",
      description = "Simulated upstream task time, MIN..MAX seconds (real tasks take 10-100 s).")
  String taskSeconds;

  @Option(
      names = "--timeout",
      defaultValue = "180",
      description = "Give up after this many seconds.")
  int timeoutSeconds;

  @Option(
      names = "--console",
      description =
          "After the batch, keep the fleet running and serve the web console (imagefleet console)"
              + " on 127.0.0.1 until Ctrl-C.")
  boolean console;

  @Option(
      names = "--console-port",
      paramLabel = "PORT",
      defaultValue = "9480",
      description =
          "The console's port with --console (default ${DEFAULT-VALUE}); 0 picks a free one.")
  int consolePort;

  private final PrintStream out = System.out;

  /** Counted down once the demo has stopped everything, so that Ctrl-C waits for it. */
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  private static final String GROUP = "imagefleet-demo";

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } finally {
      cleanedUp.countDown();
    }
  }

  private int run() throws Exception {
    if (validJobs < 1 || workers < 1) {
      throw new UserError("--jobs and --workers must be at least 1");
    }
    Instant started = Instant.now();
    Path root = prepareDataDir();
    String apiKey = "sk-demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    out.println("imagefleet demo: data in " + root);
    out.println("[1/5] starting a Kafka broker (KRaft, in this JVM)...");
    try (Sandbox sandbox =
        Sandbox.start(
            root, SimulatorConfig.builder().apiKey(apiKey).taskDuration(taskDuration()).build())) {
      UpstreamSimulator simulator = sandbox.simulator();
      out.println(
          "      broker "
              + sandbox.bootstrapServers()
              + ", upstream simulator "
              + simulator.baseUrl());
      Properties client = sandbox.clientProperties();
      var layout =
          new TopicSetup.Layout(
              Topics.JOBS, Topics.JOB_EVENTS, Topics.DEAD_LETTERS, PARTITIONS, (short) 1);
      TopicSetup.ensure(client, layout);

      out.println("[2/5] starting " + workers + " worker process(es)...");
      Path config = writeWorkerConfig(root, sandbox);
      List<WorkerProcess> fleet = new ArrayList<>();
      try {
        for (int i = 1; i <= workers; i++) {
          fleet.add(
              WorkerProcess.start(
                  "worker-" + i,
                  config,
                  Map.of(
                      "IMAGEFLEET_UPSTREAM_API_KEY",
                      apiKey,
                      "IMAGEFLEET_WORKER_ID",
                      "demo-worker-" + i),
                  root.resolve("logs/worker-" + i + ".log")));
        }
        String runId = "demo-" + Long.toString(started.getEpochSecond(), 36);
        List<JobRequest> jobs = DemoJobs.batch(runId, validJobs);
        out.println(
            "[3/5] publishing "
                + jobs.size()
                + " jobs and 1 malformed record to "
                + layout.jobs()
                + "...");
        publish(client, layout.jobs(), jobs, runId);

        out.println("[4/5] following " + layout.events() + " (live):");
        Tally tally = new Tally(BatchRuns.jobIds(jobs));
        try (var reader =
            EventsReader.start(
                client, layout.eventTopics(), JobCodec::decodeEvent, printing(tally))) {
          follow(tally, reader, fleet, started);
        }

        if (console) {
          printSummary(tally, simulator.stats(), root, started);
          serveConsole(client, root);
        }
        out.println("[5/5] stopping the workers (SIGTERM)...");
        fleet.forEach(WorkerProcess::close);
        fleet.clear();
        if (!console) {
          printSummary(tally, simulator.stats(), root, started);
        }
        return (tally.allEnded() && tally.deadLetters() == 1 ? ExitCode.OK : ExitCode.FAILED)
            .code();
      } finally {
        fleet.forEach(WorkerProcess::close);
      }
    }
  }

  /**
   * Serves the console over the demo's topics until Ctrl-C. The shutdown hook only wakes this
   * thread and then waits for {@link #call} to stop the workers and the broker in order: cleaning
   * up in the hook itself would race the demo's own finally blocks.
   */
  private void serveConsole(Properties client, Path root) throws InterruptedException {
    ConsoleSettings settings =
        new ConsoleSettings(
            "127.0.0.1",
            consolePort,
            Optional.empty(),
            2000,
            200,
            5000,
            Topics.JOB_EVENTS,
            Topics.WORKERS,
            Topics.DEAD_LETTERS,
            GROUP,
            root.resolve("images"),
            Topics.BUDGETS,
            Topics.CALLBACKS_OWED,
            Duration.ofSeconds(30),
            Optional.empty(),
            Map.of(),
            // On loopback, as imagefleet console: the malformed record can be redriven from the
            // page.
            ActionSettings.ofDefaults(true));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    cleanedUp.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "demo-stop"));
    Console web;
    try {
      web = Console.start(client, settings);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage());
    }
    try (web) {
      out.println();
      out.println("console: " + web.url() + " (the fleet keeps running; Ctrl-C stops the demo)");
      stop.await();
    }
  }

  /** Clears only a directory an earlier run made: anything else is refused, untouched. */
  private Path prepareDataDir() throws IOException {
    Path root;
    try {
      root = OwnedDirectory.claim(dataDir, "demo");
    } catch (OwnedDirectory.ForeignDirectoryException e) {
      throw new UserError("--data-dir " + dataDir + ": " + e.getMessage());
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
      throw new UserError(
          "--task-seconds must look like 3..10 (MIN..MAX seconds), but was '" + taskSeconds + "'");
    }
  }

  /** The API key is not written here: the workers get it from the environment. */
  private static Path writeWorkerConfig(Path root, Sandbox sandbox) throws IOException {
    Map<String, String> values = sandbox.workerSettings(root.resolve("images"));
    values.put("kafka.group.id", GROUP);
    values.put("intake.max-in-flight", "64");
    values.put("polling.min-interval", "1s");
    values.put("polling.max-interval", "2s");
    values.put("polling.running-event-every", "2s");
    values.put("retry.initial-backoff", "300ms");
    values.put("ops.heartbeat-interval", "2s");
    return Sandbox.writeWorkerConfig(
        root.resolve("worker.properties"),
        "Written by 'imagefleet demo'. The API key comes from IMAGEFLEET_UPSTREAM_API_KEY.",
        values);
  }

  private static void publish(Properties client, String topic, List<JobRequest> jobs, String runId)
      throws Exception {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (JobRequest job : jobs) {
        producer.send(
            new ProducerRecord<>(
                topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)));
      }
      // Not JSON at all: the workers must dead-letter it and go on.
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  (runId + "-malformed").getBytes(StandardCharsets.UTF_8),
                  "{\"job_id\": \"oops\", \"prompt\": unquoted text"
                      .getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }

  /** Prints each job's end and each dead letter as they arrive. */
  private EventsReader.Listener<StatusEvent> printing(Tally tally) {
    return new EventsReader.Listener<>() {
      @Override
      public void onEvent(StatusEvent e) {
        if (tally.record(e)) {
          out.println("      " + EventLine.format(e));
        }
      }

      @Override
      public void onDeadLetter(DeadLetter letter) {
        tally.onDeadLetter(letter);
        out.println("      DEAD-LETTER " + letter.key() + "  reason=" + letter.reason());
      }
    };
  }

  /**
   * Waits until every job ended and the malformed record was dead-lettered; prints a progress line.
   */
  private void follow(
      Tally tally, EventsReader<?> reader, List<WorkerProcess> fleet, Instant started)
      throws InterruptedException {
    Instant deadline = started.plusSeconds(timeoutSeconds);
    Instant lastLine = Instant.EPOCH;
    String last = "";
    while (!(tally.allEnded() && tally.deadLetters() >= 1) && reader.isReading()) {
      if (Instant.now().isAfter(deadline)) {
        out.println("      timed out after " + timeoutSeconds + " s; see the worker logs");
        break;
      }
      if (fleet.stream().noneMatch(WorkerProcess::isAlive)) {
        out.println("      every worker process has exited; see " + dataDir.resolve("logs"));
        break;
      }
      tally.awaitChange(Duration.ofMillis(250));
      String line = progressLine(tally);
      if (!line.equals(last) && Duration.between(lastLine, Instant.now()).toMillis() >= 2000) {
        out.printf("      [%3ds] %s%n", Duration.between(started, Instant.now()).toSeconds(), line);
        last = line;
        lastLine = Instant.now();
      }
    }
  }

  private static String progressLine(Tally tally) {
    Map<JobStatus, Integer> s = tally.byStatus();
    return String.format(
        "%d/%d jobs ended | accepted %d, submitted %d, running %d | succeeded %d, failed %d"
            + " | %d images | $%s",
        tally.endedCount(),
        tally.expectedCount(),
        s.getOrDefault(JobStatus.ACCEPTED, 0),
        s.getOrDefault(JobStatus.SUBMITTED, 0),
        s.getOrDefault(JobStatus.RUNNING, 0),
        s.getOrDefault(JobStatus.SUCCEEDED, 0),
        s.getOrDefault(JobStatus.FAILED, 0),
        tally.images(),
        Money.format(tally.cost()));
  }

  private void printSummary(Tally tally, SimulatorStats stats, Path root, Instant started) {
    Map<JobStatus, Integer> byStatus = tally.byStatus();
    double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
    out.println();
    out.println("Summary");
    out.printf(
        "  jobs:         %d ended of %d (SUCCEEDED %d, FAILED %d), duplicate terminal events %d%n",
        tally.endedCount(),
        tally.expectedCount(),
        byStatus.getOrDefault(JobStatus.SUCCEEDED, 0),
        byStatus.getOrDefault(JobStatus.FAILED, 0),
        tally.duplicateEndings());
    out.println(
        "  failures:     " + (tally.failureCodes().isEmpty() ? "none" : tally.failureCodes()));
    out.println(
        "  dead letters: "
            + tally.deadLetters()
            + " (malformed records, kept byte for byte in the dead-letter topic)");
    out.printf(
        "  images:       %d saved (%,d bytes) under %s%n",
        tally.images(), tally.imageBytes(), root.resolve("images"));
    out.printf("  cost:         $%s for %,d tokens%n", Money.format(tally.cost()), tally.tokens());
    out.printf(
        "  upstream:     %d task(s) created, %d create call(s), %d poll(s), %d download(s)%n",
        stats.tasksCreated(),
        stats.createRequests(),
        stats.queryRequests(),
        stats.downloadRequests());
    out.println("  workers:      " + tally.jobsPerWorker() + " (jobs ended per worker)");
    out.println("  logs:         " + root.resolve("logs"));
    out.printf("  elapsed:      %.1f s%n", seconds);
    out.println(
        tally.allEnded()
            ? "Every job reached a terminal status."
            : "NOT every job ended: see the worker logs.");
  }
}
