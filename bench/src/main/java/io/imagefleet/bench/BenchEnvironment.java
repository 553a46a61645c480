package io.imagefleet.bench;

import io.imagefleet.bench.harness.Sandbox;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The world every contender of one benchmark run meets: one embedded Kafka broker and one upstream
 * simulator, both in this JVM. Each contender run gets its own topics and consumer group on them.
 */
final class BenchEnvironment implements AutoCloseable {
  /**
   * The simulator answers from a small pool; it never sleeps, so a few threads carry thousands of
   * tasks.
   */
  static final int SIMULATOR_THREADS = 4;

  private final Sandbox sandbox;
  private final Admin admin;
  private final JobFeeder feeder;

  private BenchEnvironment(Sandbox sandbox) {
    this.sandbox = sandbox;
    this.admin = Admin.create(sandbox.clientProperties());
    this.feeder = new JobFeeder(clientProperties());
  }

  static BenchEnvironment start(Path dataDir, DurationDistribution latency) {
    return new BenchEnvironment(
        Sandbox.start(
            dataDir,
            SimulatorConfig.builder()
                .handlerThreads(SIMULATOR_THREADS)
                .taskDuration(latency)
                .build()));
  }

  String bootstrapServers() {
    return sandbox.bootstrapServers();
  }

  Sandbox sandbox() {
    return sandbox;
  }

  UpstreamSimulator simulator() {
    return sandbox.simulator();
  }

  Admin admin() {
    return admin;
  }

  /** Publishes every contender's batches (one long-lived producer). */
  JobFeeder feeder() {
    return feeder;
  }

  Properties clientProperties() {
    return sandbox.clientProperties();
  }

  /** Creates the topics of one contender run. */
  RunTopics createTopics(String runId, int partitions) {
    RunTopics topics =
        new RunTopics(
            "bench-jobs-" + runId,
            "bench-events-" + runId,
            "bench-dlq-" + runId,
            "bench-state-" + runId,
            "bench-route-health-" + runId,
            "bench-workers-" + runId,
            partitions);
    create(
        List.of(
            new NewTopic(topics.jobs(), partitions, (short) 1),
            new NewTopic(topics.events(), partitions, (short) 1),
            new NewTopic(topics.deadLetters(), 1, (short) 1),
            // The worker's job-state topic: compacted, as many partitions as the jobs topic.
            new NewTopic(topics.state(), partitions, (short) 1)
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            // Where the run's workers share what they learn about rates, and see each other
            // (heartbeats): without them each worker would learn a shared limit alone.
            compacted(topics.routeHealth()),
            compacted(topics.workers())),
        runId);
    return topics;
  }

  /**
   * Creates a jobs topic for each of {@code tenants} under a prefix of the run's own, as many
   * partitions as the run's state topic (a tenant's partition beyond the state topic's count would
   * not be served). Their events go to the run's shared events topic ({@code
   * tenants.events-per-tenant} stays off), so no other tenant topic is needed.
   */
  TenantTopics createTenantTopics(String runId, List<String> tenants, int partitions) {
    TenantTopics topics = new TenantTopics("bench-" + runId + ".tenant.");
    create(
        tenants.stream().map(t -> new NewTopic(topics.jobs(t), partitions, (short) 1)).toList(),
        runId);
    return topics;
  }

  private void create(List<NewTopic> topics, String runId) {
    try {
      admin.createTopics(topics).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the topics of run " + runId, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static NewTopic compacted(String name) {
    return new NewTopic(name, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
  }

  record RunTopics(
      String jobs,
      String events,
      String deadLetters,
      String state,
      String routeHealth,
      String workers,
      int partitions) {}

  @Override
  public void close() {
    feeder.close();
    admin.close();
    sandbox.close();
  }
}
