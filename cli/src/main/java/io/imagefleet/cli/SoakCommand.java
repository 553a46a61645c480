package io.imagefleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.bench.harness.EventsReader;
import io.imagefleet.bench.harness.Sandbox;
import io.imagefleet.bench.harness.Tally;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet soak}: many jobs through a fleet while the upstream misbehaves (5xx, 429, hung
 * connections, a phase of the gateway's rate limits, one route down for a while), counted
 * independently: a {@code read_committed} reader of the events topic and the simulator's own tally
 * of paid tasks. Writes {@code target/bench/soak.json}.
 *
 * <p>The rate-limit phase opens the run, when the whole batch is waiting to be created: the
 * simulator's creation and query buckets are set well below the fleet's demand, so 429s come in
 * bursts (every call refused until a token grows back), unlike the independent random 429s; then
 * the limits are lifted.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a batch through workers while the upstream fails in every documented way.",
      "Then checks"
          + " that every job ended exactly once, none was lost and none was paid for twice. Writes"
          + " target/bench/soak.json."
    })
final class SoakCommand implements Callable<Integer> {
  private static final int PARTITIONS = 12;

  @Option(names = "--jobs", defaultValue = "2000", description = "Jobs.")
  int jobs;

  @Option(names = "--workers", defaultValue = "2", description = "Workers, in this JVM.")
  int workers;

  @Option(
      names = "--server-errors",
      defaultValue = "0.20",
      description = "Share of calls answered 500/502/503.")
  double serverErrors;

  @Option(
      names = "--rate-limited",
      defaultValue = "0.02",
      description =
          "Share answered 429 at random, one call at a time; the"
              + " gateway's own 429s come in runs, as in the rate-limit phase.")
  double rateLimited;

  @Option(names = "--hung", defaultValue = "0.05", description = "Share never answered.")
  double hung;

  @Option(
      names = "--route-down-seconds",
      defaultValue = "30",
      description = "How long route gpt-image-1.5 is down.")
  int routeDownSeconds;

  @Option(
      names = "--rate-limit-seconds",
      defaultValue = "20",
      description = "How long the opening rate-limit phase lasts; 0 for none.")
  int rateLimitSeconds;

  @Option(
      names = "--rate-limit-creates",
      defaultValue = "5",
      description = "Creations per second per model the simulator lets through during that phase.")
  double rateLimitCreates;

  @Option(
      names = "--rate-limit-queries",
      defaultValue = "20",
      description = "Task queries per second it lets through during that phase.")
  double rateLimitQueries;

  @Option(
      names = "--request-timeout",
      defaultValue = "10s",
      description = "Worker's upstream request timeout: how long before a hung call is given up.")
  String requestTimeout;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description = "Give up after this many seconds.")
  int timeoutSeconds;

  @Option(
      names = "--output",
      defaultValue = "target/bench/soak.json",
      description = "Where the figures go.")
  Path output;

  @Override
  public Integer call() throws Exception {
    Path root = Files.createTempDirectory("imagefleet-soak-");
    double each = serverErrors / 3;
    FaultRates faults = new FaultRates(rateLimited, each, each, each, hung, 1);
    System.out.printf(
        "soak: %d jobs, %d workers; faults on every call: %.0f%% 5xx, %.0f%% 429, %.0f%% hung; "
            + "%s; route gpt-image-1.5 down for %d s%n",
        jobs,
        workers,
        serverErrors * 100,
        rateLimited * 100,
        hung * 100,
        rateLimitPhase(),
        routeDownSeconds);
    List<Worker> fleet = new ArrayList<>();
    try (Sandbox sandbox =
        Sandbox.start(
            root,
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.logNormal(Duration.ofSeconds(2), Duration.ofSeconds(8)))
                .createFaults(faults)
                .queryFaults(faults)
                .maxHang(Duration.ofSeconds(30))
                .build())) {
      UpstreamSimulator simulator = sandbox.simulator();
      Properties client = sandbox.clientProperties();
      var layout =
          new TopicSetup.Layout("soak.jobs", "soak.events", "soak.dlq", PARTITIONS, (short) 1);
      TopicSetup.ensure(client, layout);
      for (int i = 1; i <= workers; i++) {
        fleet.add(
            Worker.start(
                ConfigLoader.fromMap(
                    workerConfig("soak-worker-" + i, sandbox, layout, root), Map.of())));
      }
      if (rateLimitSeconds > 0) {
        // Before the batch, so that its first creations already meet the limits.
        simulator.setRateLimits(rateLimitCreates, rateLimitQueries);
        System.out.printf("[  0s] %s%n", rateLimitPhase());
      }
      Instant started = Instant.now();
      List<JobRequest> batch = BatchRuns.publish(client, layout.jobs(), "soak", jobs, 5);
      Tally tally = new Tally(BatchRuns.jobIds(batch));
      try (var reader =
          EventsReader.start(client, layout.eventTopics(), JobCodec::decodeEvent, tally)) {
        follow(tally, reader, simulator, fleet, started);
      }
      ObjectNode figures = figures(tally, batch, simulator, started);
      fleet.forEach(Worker::close); // closed first, so the transaction figures are final
      var transactions = figures.putArray("transactions_per_worker");
      fleet.forEach(w -> transactions.add(w.config().workerId() + ": " + w.transactionStats()));
      return BatchRuns.verdict(
          figures,
          output,
          "every job terminal, none lost, none ended twice, none paid twice",
          "lost",
          "duplicate_terminal_events",
          "duplicate_submissions");
    } finally {
      fleet.stream().filter(Worker::isRunning).forEach(Worker::close);
    }
  }

  private Map<String, String> workerConfig(
      String id, Sandbox sandbox, TopicSetup.Layout layout, Path root) {
    Map<String, String> c = sandbox.workerSettings(root.resolve("images"));
    c.put("worker.id", id);
    c.put("kafka.group.id", "soak-workers");
    c.putAll(layout.workerTopics("soak.state", "soak.workers"));
    c.put("upstream.api-key", sandbox.simulator().apiKey());
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
    return c;
  }

  /** Takes a route down and back up on schedule, and prints progress, until every job ended. */
  private void follow(
      Tally tally,
      EventsReader<?> reader,
      UpstreamSimulator simulator,
      List<Worker> fleet,
      Instant started)
      throws InterruptedException {
    boolean routeDown = false;
    boolean routeBack = false;
    boolean limitsLifted = rateLimitSeconds == 0;
    Instant lastLine = Instant.EPOCH;
    Instant deadline = started.plusSeconds(timeoutSeconds);
    while (!tally.allEnded() && reader.isReading() && Instant.now().isBefore(deadline)) {
      long elapsed = Duration.between(started, Instant.now()).toSeconds();
      if (!limitsLifted && elapsed >= rateLimitSeconds) {
        simulator.setRateLimits(0, 0);
        limitsLifted = true;
        System.out.printf("[%3ds] rate limits lifted%n", elapsed);
      }
      if (!routeDown && elapsed >= 5) {
        simulator.routeDown("gpt-image-1.5");
        routeDown = true;
        System.out.printf("[%3ds] route gpt-image-1.5 DOWN%n", elapsed);
      } else if (routeDown && !routeBack && elapsed >= 5 + routeDownSeconds) {
        simulator.routeUp("gpt-image-1.5");
        routeBack = true;
        System.out.printf("[%3ds] route gpt-image-1.5 UP%n", elapsed);
      }
      tally.awaitChange(Duration.ofMillis(200));
      if (Duration.between(lastLine, Instant.now()).toSeconds() >= 5) {
        lastLine = Instant.now();
        System.out.printf(
            "[%3ds] %d/%d ended; in flight %s; paid tasks %d; create calls %d%n",
            elapsed,
            tally.endedCount(),
            tally.expectedCount(),
            fleet.stream().map(w -> String.valueOf(w.inFlight())).toList(),
            simulator.stats().tasksCreated(),
            simulator.stats().createRequests());
      }
    }
    if (routeDown && !routeBack) {
      simulator.routeUp("gpt-image-1.5");
    }
    if (!limitsLifted) {
      simulator.setRateLimits(0, 0);
    }
  }

  private String rateLimitPhase() {
    return rateLimitSeconds == 0
        ? "no rate-limit phase"
        : String.format(
            "rate limit %s creations/s per model and %s queries/s for the first %d s (bursts of 429)",
            rateLimitCreates, rateLimitQueries, rateLimitSeconds);
  }

  private ObjectNode figures(
      Tally tally, List<JobRequest> batch, UpstreamSimulator simulator, Instant started) {
    var stats = simulator.stats();
    Map<String, StatusEvent> endings = tally.endings();
    Map<String, Integer> routes = new TreeMap<>();
    int maxCalls = 0;
    int fallbacks = 0;
    for (StatusEvent e : endings.values()) {
      if (e.route() != null) {
        routes.merge(e.route(), 1, Integer::sum);
      }
      if (e.routeReason() != null) {
        fallbacks++;
      }
      maxCalls = Math.max(maxCalls, e.upstreamCalls() == null ? 0 : e.upstreamCalls());
    }
    int succeeded = tally.byStatus().getOrDefault(JobStatus.SUCCEEDED, 0);
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("jobs", batch.size());
    o.put("terminal", tally.endedCount());
    o.put("lost", batch.size() - tally.endedCount());
    o.put("duplicate_terminal_events", tally.duplicateEndings());
    o.put("duplicate_submissions", BatchRuns.duplicateSubmissions(batch, stats));
    o.put("unconfirmed_submissions_reported", BatchRuns.reportedUnconfirmed(endings));
    o.put(
        "unreported_duplicate_submissions", BatchRuns.unreportedDuplicates(batch, endings, stats));
    o.put("max_upstream_calls_per_job", maxCalls);
    o.put("fallbacks", fallbacks);
    o.put("succeeded", succeeded);
    o.put("failed", tally.endedCount() - succeeded);
    o.putPOJO("failure_codes", tally.failureCodes());
    o.putPOJO("jobs_per_route", routes);
    o.put("paid_tasks", stats.tasksCreated());
    o.put("create_requests", stats.createRequests());
    o.put("query_requests", stats.queryRequests());
    o.put("hung_requests", stats.hungRequests());
    o.put("responses_429", stats.responses(429));
    o.put("rate_limited_creates", stats.createsRateLimited());
    o.put("rate_limited_queries", stats.queriesRateLimited());
    o.put("max_poll_gap_s", stats.maxPollGapMillis() / 1000.0);
    o.put("max_poll_gap_unanswered_queries", stats.maxPollGapUnansweredQueries());
    o.put("elapsed_s", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    o.put(
        "fault_mix",
        String.format(
            "%.0f%% 5xx, %.0f%% 429, %.0f%% hung, %s, route down %d s",
            serverErrors * 100, rateLimited * 100, hung * 100, rateLimitPhase(), routeDownSeconds));
    return o;
  }
}
