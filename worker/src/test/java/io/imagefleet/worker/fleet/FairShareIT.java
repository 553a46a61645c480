package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fair share on the real broker and the simulator: one worker's in-flight capacity split among
 * tenants by weight, urgent work ahead of a backlog without starving it, and a tenant's own cap.
 * What runs is read where an operator reads it: the worker's per-tenant gauges on {@code /metrics}.
 */
class FairShareIT {
  private static final String A = "team-a";
  private static final String B = "team-b";

  private UpstreamSimulator simulator;

  @BeforeEach
  void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(1500)))
                .build());
  }

  @AfterEach
  void stopSimulator() {
    simulator.close();
  }

  /** One reading of the per-tenant gauges. */
  private record Sample(int a, int b) {
    int total() {
      return a + b;
    }
  }

  @Test
  void weightsThreeToOneSplitTheInFlightJobsThreeToOneWhileBothHaveWork() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      TenantTopics topics = createTenantTopics(fleet, A, B);
      // Both backlogs wait in Kafka before the worker starts: neither tenant is read first.
      List<JobRequest> jobs = new ArrayList<>();
      jobs.addAll(publish(fleet, topics, A, 150));
      jobs.addAll(publish(fleet, topics, B, 50));
      Worker worker =
          fleet.startWorker(
              "w1", Map.of("intake.max-in-flight", "20", "tenants." + A + ".weight", "3"));
      OpsEndpoint ops = new OpsEndpoint(worker);

      List<Sample> saturated = new CopyOnWriteArrayList<>();
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Map<String, Long> ended = endedByTenant(fleet);
                Sample s = sample(ops);
                // Both still have work beyond what runs, after the first jobs have made room for
                // the split (at first, whichever tenant was read first fills the worker).
                boolean bothWaiting =
                    ended.getOrDefault(A, 0L) + 20 < 150 && ended.getOrDefault(B, 0L) + 10 < 50;
                boolean settled = ended.values().stream().mapToLong(Long::longValue).sum() >= 20;
                if (bothWaiting && settled && s.total() == 20) {
                  saturated.add(s);
                }
                return saturated.size() >= 25 || !bothWaiting && settled;
              });

      assertThat(saturated).as("samples while saturated with both waiting").hasSizeGreaterThan(10);
      double a = saturated.stream().mapToInt(Sample::a).sum();
      double b = saturated.stream().mapToInt(Sample::b).sum();
      assertThat(a / b).as("in-flight split %s", saturated).isBetween(2.7, 3.3);
      awaitEachEndedOnceAndPaidOnce(fleet, jobs);
    }
  }

  @Test
  void urgentWorkStartsAheadOfABacklogAndTheBacklogKeepsItsShare() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      TenantTopics topics = createTenantTopics(fleet, A, B);
      // The backlog is in Kafka before the worker starts, so the worker reads it in one go.
      List<JobRequest> jobs = new ArrayList<>(publish(fleet, topics, A, 80));
      Worker worker =
          fleet.startWorker(
              "w1", Map.of("intake.max-in-flight", "10", "tenants." + B + ".urgent", "true"));
      OpsEndpoint ops = new OpsEndpoint(worker);
      await().atMost(Duration.ofSeconds(60)).until(() -> sample(ops).a() == 10);

      jobs.addAll(publish(fleet, topics, B, 30));
      List<Sample> samples = new CopyOnWriteArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                samples.add(sample(ops));
                return samples.get(samples.size() - 1).b() == 5;
              });
      assertThat(endedByTenant(fleet).getOrDefault(A, 0L))
          .as("the urgent jobs did not wait for the backlog")
          .isLessThan(40);

      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                samples.add(sample(ops));
                return endedByTenant(fleet).getOrDefault(B, 0L) >= 25;
              });
      assertThat(samples)
          .allSatisfy(s -> assertThat(s.b()).as("urgent share").isLessThanOrEqualTo(5));
      assertThat(samples.stream().filter(s -> s.total() == 10))
          .as("a full worker keeps at least half for the backlog")
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.a()).isGreaterThanOrEqualTo(5));
      awaitEachEndedOnceAndPaidOnce(fleet, jobs);
    }
  }

  @Test
  void aTenantWithAMaxInFlightNeverRunsMoreAndTheOthersUseTheRest() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      TenantTopics topics = createTenantTopics(fleet, A, B);
      List<JobRequest> jobs = new ArrayList<>(publish(fleet, topics, A, 30));
      jobs.addAll(publish(fleet, topics, B, 40));
      Worker worker =
          fleet.startWorker(
              "w1",
              Map.of(
                  "intake.max-in-flight",
                  "10",
                  "tenants." + A + ".max-in-flight",
                  "3",
                  "tenants." + A + ".weight",
                  "5"));
      OpsEndpoint ops = new OpsEndpoint(worker);

      List<Sample> samples = new CopyOnWriteArrayList<>();
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                samples.add(sample(ops));
                return fleet.terminalEvents().size() == jobs.size();
              });
      assertThat(samples).allSatisfy(s -> assertThat(s.a()).isLessThanOrEqualTo(3));
      assertThat(samples).as("the cap was reached").anySatisfy(s -> assertThat(s.a()).isEqualTo(3));
      assertThat(samples).as("the rest went to b").anySatisfy(s -> assertThat(s.b()).isEqualTo(7));
      assertThat(mostAtOnce(fleet, A))
          .as("team a's jobs overlapping, from their events")
          .isLessThanOrEqualTo(3);
      awaitEachEndedOnceAndPaidOnce(fleet, jobs);
    }
  }

  private static Sample sample(OpsEndpoint ops) {
    String metrics = ops.metrics();
    return new Sample(
        (int) OpsEndpoint.sum(metrics, "imagefleet_tenant_in_flight", "tenant", A),
        (int) OpsEndpoint.sum(metrics, "imagefleet_tenant_in_flight", "tenant", B));
  }

  private static Map<String, Long> endedByTenant(TestFleet fleet) {
    return fleet.terminalEvents().values().stream()
        .map(e -> e.get(0).tenant())
        .collect(
            java.util.stream.Collectors.groupingBy(t -> t, java.util.stream.Collectors.counting()));
  }

  /**
   * The most jobs of {@code tenant} running at once as their events tell: from ACCEPTED (published
   * once the job holds its slot) to the terminal event's time (decided before the slot frees).
   */
  private static int mostAtOnce(TestFleet fleet, String tenant) {
    record Edge(Instant at, int delta) {}
    List<Edge> edges = new ArrayList<>();
    for (StatusEvent e : fleet.events()) {
      if (!e.tenant().equals(tenant)) {
        continue;
      }
      if (e.status() == JobStatus.ACCEPTED) {
        edges.add(new Edge(e.occurredAt(), 1));
      } else if (e.isTerminal()) {
        edges.add(new Edge(e.occurredAt(), -1));
      }
    }
    edges.sort(Comparator.comparing(Edge::at).thenComparing(Edge::delta));
    int now = 0;
    int most = 0;
    for (Edge edge : edges) {
      now += edge.delta();
      most = Math.max(most, now);
    }
    return most;
  }

  private void awaitEachEndedOnceAndPaidOnce(TestFleet fleet, List<JobRequest> jobs) {
    await().atMost(Duration.ofMinutes(2)).until(() -> fleet.terminalEvents().size() == jobs.size());
    Map<String, List<StatusEvent>> ends = fleet.terminalEvents();
    for (JobRequest job : jobs) {
      assertThat(ends.get(job.jobId())).as(job.jobId()).hasSize(1);
      assertThat(ends.get(job.jobId()).get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt()))
          .as("tasks paid for " + job.jobId())
          .isEqualTo(1);
    }
  }

  private static List<JobRequest> publish(
      TestFleet fleet, TenantTopics topics, String tenant, int count) {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JobRequest job =
          JobRequest.builder(
                  tenant + "-" + i, tenant, "job " + i + " of " + tenant + " " + fleet.jobsTopic())
              .quality("low")
              .build();
      jobs.add(job);
    }
    fleet.submitTogetherTo(topics.jobs(tenant), jobs);
    return jobs;
  }

  /** Creates each tenant's jobs topic, as {@code bin/imagefleet topics --tenant} would. */
  private static TenantTopics createTenantTopics(TestFleet fleet, String... tenants)
      throws Exception {
    TenantTopics topics = new TenantTopics(fleet.tenantPrefix());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", fleet.bootstrapServers()))) {
      List<NewTopic> created = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String tenant : tenants) {
        created.add(new NewTopic(topics.jobs(tenant), TestFleet.PARTITIONS, (short) 1));
        names.add(topics.jobs(tenant));
      }
      admin.createTopics(created).all().get();
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> admin.describeTopics(names).allTopicNames().get().size() == names.size());
    }
    return topics;
  }
}
