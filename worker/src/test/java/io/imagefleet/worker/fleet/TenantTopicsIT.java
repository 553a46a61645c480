package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants with topics of their own, on the real broker: the worker subscribes to every tenant's
 * jobs topic by pattern (one created while it runs included), a job's tenant is its topic's, the
 * shared topic takes only the tenants allowed there, each tenant's events are copied to its own
 * topic, and a tenant's jobs are handed over after a crash and replayed without being paid twice.
 * Kafka's ACLs on the same names are proven by {@code TenantIsolationIT} (cli module).
 */
class TenantTopicsIT {
  /** Short sessions so a killed worker's partitions move within seconds. */
  private static final Map<String, String> FAST_GROUP =
      Map.of(
          "kafka.session.timeout.ms", "6000",
          "kafka.heartbeat.interval.ms", "1000",
          "state.transaction-timeout", "5s");

  private UpstreamSimulator simulator;

  @BeforeEach
  void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(2)))
                .build());
  }

  @AfterEach
  void stopSimulator() {
    simulator.close();
  }

  @Test
  void eachTenantRunsAsItsTopicSaysAndSeesOnlyItsOwnEvents() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      TenantTopics topics = new TenantTopics(fleet.tenantPrefix());
      createTenantTopics(fleet, topics, "team-a");
      Map<String, String> config = new HashMap<>(tenantConfig(fleet));
      config.put("tenants.allowed", "catalog");
      config.put("tenants.team-a.callback-prefixes", "https://hooks.example.com/team-a/");
      fleet.startWorker("w1", config);

      JobRequest own = job("a-own", "team-a", "a lamp for team a " + fleet.jobsTopic());
      JobRequest impostor = job("a-claims-b", "team-b", "a lamp as team b " + fleet.jobsTopic());
      JobRequest elsewhere =
          JobRequest.builder("a-hook", "team-a", "a hook elsewhere " + fleet.jobsTopic())
              .callbackUrl("https://hooks.example.com/team-b/done")
              .build();
      JobRequest shared = job("shared-catalog", "catalog", "a shared chair " + fleet.jobsTopic());
      JobRequest unlisted = job("shared-unlisted", "marketing", "a poster " + fleet.jobsTopic());
      JobRequest ownerOnShared =
          job("shared-team-a", "team-a", "team a on shared " + fleet.jobsTopic());
      fleet.submitTo(topics.jobs("team-a"), own);
      fleet.submitTo(topics.jobs("team-a"), impostor);
      fleet.submitTo(topics.jobs("team-a"), elsewhere);
      fleet.submit(shared);
      fleet.submit(unlisted);

      // A tenant onboarded while the worker runs: seen at the next metadata refresh.
      createTenantTopics(fleet, topics, "team-b");
      JobRequest newcomer = job("b-new", "team-b", "a vase for team b " + fleet.jobsTopic());
      fleet.submitTo(topics.jobs("team-b"), newcomer);
      // Same job id as team a's: another tenant's job, with its own state and its own task.
      JobRequest sameId = job("a-own", "team-b", "team b's own a-own " + fleet.jobsTopic());
      fleet.submitTo(topics.jobs("team-b"), sameId);

      List<String> all =
          List.of(
              own.jobId(),
              impostor.jobId(),
              elsewhere.jobId(),
              shared.jobId(),
              unlisted.jobId(),
              newcomer.jobId());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet.terminalEvents().keySet().containsAll(all)
                      && fleet.terminalEvents().get(own.jobId()).size() == 2);
      // Once team a's own topic is known, team a may no longer publish on the shared topic.
      fleet.submit(ownerOnShared);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.terminalEvents().containsKey(ownerOnShared.jobId()));

      Map<String, List<StatusEvent>> ends = fleet.terminalEvents();
      assertThat(ends.get(own.jobId()))
          .extracting(StatusEvent::tenant, StatusEvent::status)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("team-a", JobStatus.SUCCEEDED),
              org.assertj.core.groups.Tuple.tuple("team-b", JobStatus.SUCCEEDED));
      assertThat(code(ends, impostor.jobId())).isEqualTo(ErrorCodes.TENANT_MISMATCH);
      assertThat(code(ends, elsewhere.jobId())).isEqualTo(ErrorCodes.CALLBACK_NOT_ALLOWED);
      assertThat(ends.get(shared.jobId()).get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(code(ends, unlisted.jobId())).isEqualTo(ErrorCodes.TENANT_NOT_ALLOWED);
      assertThat(code(ends, ownerOnShared.jobId())).isEqualTo(ErrorCodes.TENANT_NOT_ALLOWED);
      assertThat(ends.get(newcomer.jobId()).get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
      for (List<StatusEvent> e : ends.values()) {
        assertThat(e.stream().map(StatusEvent::tenant).distinct().count())
            .as("one terminal event per tenant's job")
            .isEqualTo(e.size());
      }
      // Nothing paid for a refused job; each tenant's a-own paid once.
      for (JobRequest refused : List.of(impostor, elsewhere, unlisted, ownerOnShared)) {
        assertThat(simulator.stats().tasksCreatedForPrompt(refused.prompt())).isZero();
      }
      assertThat(simulator.stats().tasksCreatedForPrompt(own.prompt())).isEqualTo(1);
      assertThat(simulator.stats().tasksCreatedForPrompt(sameId.prompt())).isEqualTo(1);

      // Each tenant's own events topic holds its jobs' events only, progress and endings alike.
      try (TestFleet.Collector a =
              new TestFleet.Collector(
                  fleet.bootstrapServers(), topics.events("team-a"), TestFleet.PARTITIONS);
          TestFleet.Collector b =
              new TestFleet.Collector(
                  fleet.bootstrapServers(), topics.events("team-b"), TestFleet.PARTITIONS)) {
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  Map<String, List<StatusEvent>> teamA = byJob(a);
                  assertThat(teamA.keySet())
                      .containsExactlyInAnyOrder(own.jobId(), impostor.jobId(), elsewhere.jobId());
                  assertThat(teamA.get(own.jobId()))
                      .extracting(StatusEvent::status)
                      .contains(JobStatus.ACCEPTED, JobStatus.SUBMITTED, JobStatus.SUCCEEDED);
                  assertThat(teamA.get(own.jobId()))
                      .extracting(StatusEvent::tenant)
                      .containsOnly("team-a");
                  Map<String, List<StatusEvent>> teamB = byJob(b);
                  assertThat(teamB.keySet())
                      .containsExactlyInAnyOrder(newcomer.jobId(), sameId.jobId());
                  assertThat(teamB.values().stream().flatMap(List::stream))
                      .extracting(StatusEvent::tenant)
                      .containsOnly("team-b");
                  assertThat(teamB.get(sameId.jobId()))
                      .extracting(StatusEvent::status)
                      .contains(JobStatus.SUCCEEDED);
                });
      }
    }
  }

  @Test
  void aTenantsJobsAreHandedOverAfterACrashAndReplayedWithoutPayingTwice() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      TenantTopics topics = new TenantTopics(fleet.tenantPrefix());
      createTenantTopics(fleet, topics, "team-a");
      Map<String, String> config = new HashMap<>(tenantConfig(fleet));
      config.putAll(FAST_GROUP);
      Process doomed = fleet.startWorkerProcess("doomed", config);
      List<JobRequest> jobs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        JobRequest job = job("crash-" + i, "team-a", "crash " + i + " " + fleet.jobsTopic());
        jobs.add(job);
        fleet.submitTo(topics.jobs("team-a"), job);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet.events().stream()
                          .filter(
                              e ->
                                  e.workerId().equals("doomed")
                                      && e.status() == JobStatus.SUBMITTED)
                          .count()
                      >= 5);
      doomed.destroyForcibly(); // SIGKILL: no hand-over, no last commit
      assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
      Worker survivor = fleet.startWorker("survivor", config);
      List<String> ids = jobs.stream().map(JobRequest::jobId).toList();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> fleet.terminalEvents().keySet().containsAll(ids));
      assertEachEndedOnceAndPaidOnce(fleet, jobs);
      assertThat(fleet.terminalEvents().values().stream().map(e -> e.get(0).workerId()))
          .contains("survivor");

      // Replay: the group's offsets on the tenant's topic back to the start, workers stopped.
      survivor.close();
      String group = "group-" + fleet.jobsTopic().substring("jobs-".length());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", fleet.bootstrapServers()))) {
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < TestFleet.PARTITIONS; p++) {
          earliest.put(new TopicPartition(topics.jobs("team-a"), p), OffsetSpec.earliest());
        }
        admin
            .listOffsets(earliest)
            .all()
            .get()
            .forEach((tp, info) -> start.put(tp, new OffsetAndMetadata(info.offset())));
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> {
                  admin.alterConsumerGroupOffsets(group, start).all().get();
                  return true;
                });
        assertThat(
                admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .entrySet()
                    .stream()
                    .filter(e -> e.getKey().topic().equals(topics.jobs("team-a")))
                    .mapToLong(e -> e.getValue().offset())
                    .sum())
            .as("the fleet's group starts team a's topic over")
            .isZero();
      }
      int eventsBefore = fleet.events().size();
      JobRequest marker = job("after-replay", "team-a", "after the replay " + fleet.jobsTopic());
      fleet.submitTo(topics.jobs("team-a"), marker);
      fleet.startWorker("replayer", config);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(marker.jobId()));
      assertEachEndedOnceAndPaidOnce(fleet, jobs);
      assertThat(
              fleet.events().subList(eventsBefore, fleet.events().size()).stream()
                  .map(StatusEvent::jobId)
                  .distinct())
          .as("the replay published nothing for the jobs that had ended")
          .containsOnly(marker.jobId());
    }
  }

  private void assertEachEndedOnceAndPaidOnce(TestFleet fleet, List<JobRequest> jobs) {
    Map<String, List<StatusEvent>> ends = fleet.terminalEvents();
    for (JobRequest job : jobs) {
      assertThat(ends.get(job.jobId())).as(job.jobId()).hasSize(1);
      assertThat(ends.get(job.jobId()).get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(simulator.stats().tasksCreatedForPrompt(job.prompt()))
          .as("tasks paid for " + job.jobId())
          .isEqualTo(1);
    }
  }

  private static Map<String, String> tenantConfig(TestFleet fleet) {
    return Map.of(
        "tenants.topic-prefix", fleet.tenantPrefix(), "tenants.events-per-tenant", "true");
  }

  private static JobRequest job(String id, String tenant, String prompt) {
    return JobRequest.builder(id, tenant, prompt).quality("low").build();
  }

  private static String code(Map<String, List<StatusEvent>> ends, String jobId) {
    StatusEvent end = ends.get(jobId).get(0);
    assertThat(end.status()).as(jobId).isEqualTo(JobStatus.FAILED);
    return end.error().code();
  }

  /** Creates a tenant's topics as {@code bin/imagefleet topics --tenant} does: jobs last. */
  private static void createTenantTopics(TestFleet fleet, TenantTopics topics, String tenant)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", fleet.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.events(tenant), TestFleet.PARTITIONS, (short) 1),
                  new NewTopic(topics.callbacks(tenant), TestFleet.PARTITIONS, (short) 1)))
          .all()
          .get();
      admin
          .createTopics(List.of(new NewTopic(topics.jobs(tenant), TestFleet.PARTITIONS, (short) 1)))
          .all()
          .get();
      List<String> names = List.of(topics.jobs(tenant), topics.events(tenant));
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> admin.describeTopics(names).allTopicNames().get().size() == 2);
    }
  }

  private static Map<String, List<StatusEvent>> byJob(TestFleet.Collector collector) {
    return collector.records().stream()
        .map(r -> JobCodec.decodeEvent(r.value()))
        .collect(Collectors.groupingBy(StatusEvent::jobId));
  }
}
