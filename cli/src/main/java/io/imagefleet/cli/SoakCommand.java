package io.imagefleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.FaultRates;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet soak}: many jobs through a fleet while the upstream misbehaves (5xx, 429, hung
 * connections, one route down for a while), counted independently: a {@code read_committed} reader of
 * the events topic and the simulator's own tally of paid tasks. Writes {@code target/bench/soak.json}.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = {"Runs a batch through workers while the upstream fails in every documented way, then checks",
        "that every job ended exactly once, none was lost and none was paid for twice.",
        "Writes target/bench/soak.json."})
final class SoakCommand implements Callable<Integer> {
  private static final int PARTITIONS = 12;

  @Option(names = "--jobs", defaultValue = "2000", description = "Jobs (default ${DEFAULT-VALUE}).") int jobs;
  @Option(names = "--workers", defaultValue = "2", description = "Workers, in this JVM (default ${DEFAULT-VALUE}).") int workers;
  @Option(names = "--server-errors", defaultValue = "0.20", description = "Share of calls answered 500/502/503 (default ${DEFAULT-VALUE}).") double serverErrors;
  @Option(names = "--rate-limited", defaultValue = "0.10", description = "Share answered 429 (default ${DEFAULT-VALUE}).") double rateLimited;
  @Option(names = "--hung", defaultValue = "0.05", description = "Share never answered (default ${DEFAULT-VALUE}).") double hung;
  @Option(names = "--route-down-seconds", defaultValue = "30", description = "How long route gpt-image-1.5 is down (default ${DEFAULT-VALUE}).") int routeDownSeconds;
  @Option(names = "--request-timeout", defaultValue = "10s",
      description = "Worker's upstream request timeout: how long before a hung call is given up (default ${DEFAULT-VALUE}).")
  String requestTimeout;
  @Option(names = "--timeout", defaultValue = "600", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).") int timeoutSeconds;
  @Option(names = "--output", defaultValue = "target/bench/soak.json", description = "Where the figures go (default ${DEFAULT-VALUE}).") Path output;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("imagefleet-soak-");
    double each = serverErrors / 3;
    FaultRates faults = new FaultRates(rateLimited, each, each, each, hung, 1);
    System.out.printf("soak: %d jobs, %d workers; faults on every call: %.0f%% 5xx, %.0f%% 429, %.0f%% hung; "
        + "route gpt-image-1.5 down for %d s%n", jobs, workers, serverErrors * 100, rateLimited * 100, hung * 100,
        routeDownSeconds);
    List<Worker> fleet = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(root.resolve("kafka")).start();
         UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorConfig.builder()
             .taskDuration(DurationDistribution.logNormal(Duration.ofSeconds(2), Duration.ofSeconds(8)))
             .createFaults(faults).queryFaults(faults).maxHang(Duration.ofSeconds(30)).build())) {
      Properties client = new Properties();
      client.put("bootstrap.servers", broker.bootstrapServers());
      var layout = new TopicSetup.Layout("soak.jobs", "soak.events", "soak.dlq", PARTITIONS, (short) 1);
      TopicSetup.ensure(client, layout);
      for (int i = 1; i <= workers; i++) {
        fleet.add(Worker.start(ConfigLoader.fromMap(workerConfig("soak-worker-" + i, broker, simulator, layout, root),
            Map.of())));
      }
      Instant started = Instant.now();
      List<JobRequest> batch = BatchRuns.publish(client, layout.jobs(), "soak", jobs, 5);
      Tally tally = follow(client, layout, batch, simulator, fleet, started);
      ObjectNode figures = figures(tally, batch, simulator, started);
      fleet.forEach(Worker::close); // closed first, so the transaction figures are final
      var transactions = figures.putArray("transactions_per_worker");
      fleet.forEach(w -> transactions.add(w.config().workerId() + ": " + w.transactionStats()));
      BatchRuns.write(figures, output);
      boolean ok = figures.get("lost").asInt() == 0 && figures.get("duplicate_terminal_events").asInt() == 0
          && figures.get("duplicate_submissions").asInt() == 0;
      System.out.println(ok ? "PASS: every job terminal, none lost, none ended twice, none paid twice" : "FAIL");
      return ok ? 0 : 1;
    } finally {
      fleet.stream().filter(Worker::isRunning).forEach(Worker::close);
    }
  }

  private Map<String, String> workerConfig(String id, EmbeddedKafkaBroker broker, UpstreamSimulator simulator,
      TopicSetup.Layout layout, Path root) {
    Map<String, String> c = new HashMap<>();
    c.put("worker.id", id);
    c.put("kafka.bootstrap.servers", broker.bootstrapServers());
    c.put("kafka.group.id", "soak-workers");
    c.put("topics.jobs", layout.jobs());
    c.put("topics.events", layout.events());
    c.put("topics.dead-letters", layout.deadLetters());
    c.put("topics.state", "soak.state");
    c.put("topics.workers", "soak.workers");
    c.put("upstream.base-url", simulator.baseUrl().toString());
    c.put("upstream.allow-private-downloads", "true"); // result links on the local simulator
    c.put("upstream.api-key", simulator.apiKey());
    c.put("upstream.request-timeout", requestTimeout);
    c.put("upstream.max-calls-per-job", "60");
    c.put("routes.0.model", "gpt-image-1.5");
    c.put("routes.1.model", "gpt-image-1");
    c.put("routes.1.price.image-output", "0.04");
    c.put("intake.max-in-flight", "500");
    c.put("polling.min-interval", "500ms");
    c.put("polling.max-interval", "5s");
    c.put("retry.initial-backoff", "200ms");
    c.put("retry.max-backoff", "2s");
    c.put("breaker.open-duration", "5s");
    c.put("storage.directory", root.resolve("images").toString());
    c.put("ops.port", "0");
    return c;
  }

  /** What an independent read_committed reader of the events topic saw. */
  private static final class Tally {
    final Map<String, Integer> terminalCount = new HashMap<>();
    final Map<String, StatusEvent> firstTerminal = new HashMap<>();
  }

  private Tally follow(Properties client, TopicSetup.Layout layout, List<JobRequest> batch, UpstreamSimulator simulator,
      List<Worker> fleet, Instant started) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Tally tally = new Tally();
    boolean routeDown = false;
    boolean routeBack = false;
    Instant lastLine = Instant.EPOCH;
    try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        parts.add(new TopicPartition(layout.events(), i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Instant deadline = started.plusSeconds(timeoutSeconds);
      while (tally.firstTerminal.size() < batch.size() && Instant.now().isBefore(deadline)) {
        long elapsed = Duration.between(started, Instant.now()).toSeconds();
        if (!routeDown && elapsed >= 5) {
          simulator.routeDown("gpt-image-1.5");
          routeDown = true;
          System.out.printf("[%3ds] route gpt-image-1.5 DOWN%n", elapsed);
        } else if (routeDown && !routeBack && elapsed >= 5 + routeDownSeconds) {
          simulator.routeUp("gpt-image-1.5");
          routeBack = true;
          System.out.printf("[%3ds] route gpt-image-1.5 UP%n", elapsed);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          StatusEvent e = JobCodec.decodeEvent(r.value());
          if (e.isTerminal()) {
            tally.terminalCount.merge(e.jobId(), 1, Integer::sum);
            tally.firstTerminal.putIfAbsent(e.jobId(), e);
          }
        }
        if (Duration.between(lastLine, Instant.now()).toSeconds() >= 5) {
          lastLine = Instant.now();
          System.out.printf("[%3ds] %d/%d ended; in flight %s; paid tasks %d; create calls %d%n", elapsed,
              tally.firstTerminal.size(), batch.size(), fleet.stream().map(w -> String.valueOf(w.inFlight())).toList(),
              simulator.stats().tasksCreated(), simulator.stats().createRequests());
        }
      }
      if (routeDown && !routeBack) {
        simulator.routeUp("gpt-image-1.5");
      }
    }
    return tally;
  }

  private ObjectNode figures(Tally tally, List<JobRequest> batch, UpstreamSimulator simulator, Instant started) {
    var stats = simulator.stats();
    long duplicateSubmissions = BatchRuns.duplicateSubmissions(batch, stats);
    Map<String, Integer> codes = new TreeMap<>();
    Map<String, Integer> routes = new TreeMap<>();
    int maxCalls = 0;
    int fallbacks = 0;
    int succeeded = 0;
    for (StatusEvent e : tally.firstTerminal.values()) {
      if (e.status() == JobStatus.SUCCEEDED) {
        succeeded++;
      } else if (e.error() != null) {
        codes.merge(e.error().code(), 1, Integer::sum);
      }
      if (e.route() != null) {
        routes.merge(e.route(), 1, Integer::sum);
      }
      if (e.routeReason() != null) {
        fallbacks++;
      }
      maxCalls = Math.max(maxCalls, e.upstreamCalls() == null ? 0 : e.upstreamCalls());
    }
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("jobs", batch.size());
    o.put("terminal", tally.firstTerminal.size());
    o.put("lost", batch.size() - tally.firstTerminal.size());
    o.put("duplicate_terminal_events", tally.terminalCount.values().stream().mapToInt(c -> c - 1).sum());
    o.put("duplicate_submissions", duplicateSubmissions);
    o.put("unconfirmed_submissions_reported", BatchRuns.reportedUnconfirmed(tally.firstTerminal));
    o.put("unreported_duplicate_submissions", BatchRuns.unreportedDuplicates(batch, tally.firstTerminal, stats));
    o.put("max_upstream_calls_per_job", maxCalls);
    o.put("fallbacks", fallbacks);
    o.put("succeeded", succeeded);
    o.put("failed", tally.firstTerminal.size() - succeeded);
    o.putPOJO("failure_codes", codes);
    o.putPOJO("jobs_per_route", routes);
    o.put("paid_tasks", stats.tasksCreated());
    o.put("create_requests", stats.createRequests());
    o.put("query_requests", stats.queryRequests());
    o.put("hung_requests", stats.hungRequests());
    o.put("elapsed_s", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    o.put("fault_mix", String.format("%.0f%% 5xx, %.0f%% 429, %.0f%% hung, route down %d s", serverErrors * 100,
        rateLimited * 100, hung * 100, routeDownSeconds));
    return o;
  }
}
