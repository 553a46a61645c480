package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.testing.MutableClock;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventObserver;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.PartitionStates;
import io.imagefleet.worker.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer loop driven step by step on the test thread, with kafka-clients' mocks. */
class JobIntakeTest {
  private static final String TOPIC = "jobs";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final Duration REFILL_WAIT_PASSED = JobIntake.REFILL_WAIT;

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> transactions =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Map<String, FakeRun> runs = new HashMap<>();
  private final Map<String, JobState> resumedWith = new HashMap<>();
  private final PartitionStates restored = new PartitionStates();
  private Optional<String> gateReason = Optional.empty();
  private final HeldCommits commits = new HeldCommits();

  /** Producers made after the first, which a lost commit answer discards. */
  private final List<MockProducer<byte[], byte[]>> laterProducers = new ArrayList<>();

  private JobIntake intake;

  /**
   * What starting a job throws, by job id: a worker bug, or an Error such as running out of memory.
   */
  private final Map<String, Error> thrownFor = new HashMap<>();

  @BeforeEach
  void setUp() {
    startIntake(3);
  }

  private void startIntake(int maxInFlight) {
    startIntake(maxInFlight, Map.of());
  }

  private void startIntake(int maxInFlight, Map<String, String> more) {
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                "worker.id", "w1",
                "kafka.bootstrap.servers", "unused:9092",
                "upstream.base-url", "http://unused",
                "upstream.api-key", "k",
                "topics.jobs", TOPIC,
                "topics.state", "state",
                "topics.events", "events",
                "intake.max-in-flight", Integer.toString(maxInFlight),
                "intake.commit-interval", "100ms"));
    values.putAll(more);
    WorkerConfig config = ConfigLoader.fromMap(values, Map.of());
    JobHandler handler =
        (job, partition, state, publishedAt, traceparent) -> {
          if (thrownFor.containsKey(job.jobId())) {
            throw thrownFor.get(job.jobId());
          }
          FakeRun run = new FakeRun();
          runs.put(job.jobId(), run);
          if (state != null) {
            resumedWith.put(job.jobId(), state);
          }
          return run;
        };
    AtomicInteger made = new AtomicInteger();
    Supplier<Producer<byte[], byte[]>> producers =
        () -> {
          if (made.getAndIncrement() == 0) {
            return transactions;
          }
          MockProducer<byte[], byte[]> next =
              new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
          laterProducers.add(next);
          return next;
        };
    intake =
        new JobIntake(
            config,
            consumer,
            producers,
            p -> restored,
            (tp, offset) -> false,
            handler,
            () -> gateReason,
            clock,
            EventObserver.NONE,
            commits);
    intake.subscribe();
    consumer.rebalance(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
  }

  @Test
  void takesJobsUpToTheCapThenPausesAndStartsTheWaitingRecordsAsSlotsFree() {
    // As one queue: with fair share, a lane with nothing waiting is read even at the cap (below).
    consumer.rebalance(List.of());
    startIntake(3, Map.of("tenants.fair-share", "false"));
    for (int i = 0; i < 5; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    assertThat(runs).containsOnlyKeys("job-0", "job-1", "job-2");

    intake.step();
    assertThat(consumer.paused()).as("paused while records wait for a slot").containsExactly(P0);
    assertThat(intake.inFlight()).isEqualTo(3);

    end("job-0");
    intake.step();
    assertThat(runs)
        .as("a freed slot takes the oldest waiting record, without fetching it again")
        .containsOnlyKeys("job-0", "job-1", "job-2", "job-3");
    assertThat(consumer.paused()).as("still paused: job-4 waits").containsExactly(P0);

    end("job-1");
    intake.step();
    assertThat(runs).containsKey("job-4");
    assertThat(consumer.paused()).as("still at the cap").containsExactly(P0);

    end("job-2");
    intake.step();
    assertThat(consumer.paused()).as("resumes once nothing waits and a slot is free").isEmpty();
  }

  @Test
  void aTenantsTopicDecidesItsJobsTenantAndAPartitionWithoutAStatePartitionStaysPaused() {
    consumer.rebalance(List.of());
    consumer.updatePartitions("state", List.of(new PartitionInfo("state", 0, null, null, null)));
    startIntake(3);
    String tenantTopic = "imagefleet.tenant.team-a.jobs.v1";
    TopicPartition a0 = new TopicPartition(tenantTopic, 0);
    TopicPartition a1 = new TopicPartition(tenantTopic, 1);
    consumer.rebalance(List.of(P0, a0, a1));
    consumer.updateBeginningOffsets(Map.of(a0, 0L, a1, 0L));
    addTo(a0, 0, "claims-b", "team-b");
    addTo(a0, 1, "own", "team-a");
    addTo(a1, 0, "beyond-state", "team-a");

    intake.step();
    assertThat(runs).as("only team a's job on team a's topic runs").containsOnlyKeys("own");
    stepAfterCommitInterval();
    assertThat(events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.jobId()).isEqualTo("claims-b");
              assertThat(e.status()).isEqualTo(JobStatus.FAILED);
              assertThat(e.error().code()).isEqualTo(ErrorCodes.TENANT_MISMATCH);
            });

    end("own");
    stepAfterCommitInterval();
    stepAfterCommitInterval();
    assertThat(consumer.paused())
        .as("a partition numbered beyond the state topic's stays paused, its record untouched")
        .containsExactly(a1);
    assertThat(runs).doesNotContainKey("beyond-state");
  }

  private static final TopicPartition A0 =
      new TopicPartition("imagefleet.tenant.team-a.jobs.v1", 0);
  private static final TopicPartition B0 =
      new TopicPartition("imagefleet.tenant.team-b.jobs.v1", 0);

  /** An intake of {@code maxInFlight} on team a's and team b's own topics. */
  private void startTenantIntake(int maxInFlight, Map<String, String> more) {
    consumer.rebalance(List.of());
    startIntake(maxInFlight, more);
    consumer.rebalance(List.of(A0, B0));
    consumer.updateBeginningOffsets(Map.of(A0, 0L, B0, 0L));
  }

  private void addJobs(TopicPartition tp, String prefix, String tenant, int count) {
    for (int i = 0; i < count; i++) {
      addTo(tp, i, prefix + i, tenant);
    }
  }

  /** Paused partitions of the current assignment (the mock keeps earlier ones in its set). */
  private Set<TopicPartition> pausedAssigned() {
    Set<TopicPartition> paused = new HashSet<>(consumer.paused());
    paused.retainAll(consumer.assignment());
    return paused;
  }

  private long running(String prefix) {
    return runs.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && !e.getValue().ending.isDone())
        .count();
  }

  @Test
  void fairShareFillsTheCapByWeightAndGivesAFreedSlotToTheTenantBelowItsShare() {
    startTenantIntake(4, Map.of("tenants.team-a.weight", "3"));
    addJobs(A0, "a-", "team-a", 10);
    addJobs(B0, "b-", "team-b", 10);

    intake.step();
    assertThat(runs).containsOnlyKeys("a-0", "a-1", "a-2", "b-0");
    assertThat(intake.inFlightByTenant()).isEqualTo(Map.of("team-a", 3, "team-b", 1));
    assertThat(intake.waitingByTenant()).isEqualTo(Map.of("team-a", 7, "team-b", 9));

    end("b-0");
    intake.step();
    assertThat(runs).as("b's slot goes back to b, in its records' order").containsKey("b-1");
    end("a-0");
    intake.step();
    assertThat(runs).containsKey("a-3").doesNotContainKey("b-2");
    assertThat(running("a-")).isEqualTo(3);
    assertThat(running("b-")).isEqualTo(1);
    assertThat(pausedAssigned())
        .as("both have records waiting: neither reads more")
        .containsExactlyInAnyOrder(A0, B0);
  }

  @Test
  void fairShareFetchesAQuietTenantAtTheCapSoItsWorkTakesTheNextSlotBeforeTheBacklog() {
    startTenantIntake(4, Map.of());
    addJobs(A0, "a-", "team-a", 10);
    intake.step();
    assertThat(runs).as("b lends its share").containsOnlyKeys("a-0", "a-1", "a-2", "a-3");

    intake.step();
    assertThat(pausedAssigned())
        .as("a has records waiting; b has none and is read even at the cap")
        .containsExactly(A0);
    addTo(B0, 0, "b-0", "team-b");
    intake.step();
    assertThat(runs).doesNotContainKey("b-0");

    end("a-0");
    intake.step();
    assertThat(runs)
        .as("the freed slot goes to b, below its share, not to a's older records")
        .containsKey("b-0")
        .doesNotContainKey("a-4");
  }

  @Test
  void aTenantAtItsOwnCapStaysPausedWhileOthersUseTheRest() {
    startTenantIntake(
        4, Map.of("tenants.team-a.max-in-flight", "1", "tenants.team-a.weight", "10"));
    addJobs(A0, "a-", "team-a", 5);
    addJobs(B0, "b-", "team-b", 5);

    intake.step();
    assertThat(running("a-")).isEqualTo(1);
    assertThat(running("b-")).isEqualTo(3);
    end("b-0");
    intake.step();
    assertThat(running("a-")).as("never above its cap").isEqualTo(1);
    end("a-0");
    intake.step();
    assertThat(runs).containsKey("a-1");
    assertThat(running("a-")).isEqualTo(1);
  }

  @Test
  void aPacedTenantStartsNoMoreThanItsRateAndTheRestGoesToOthers() {
    startTenantIntake(10, Map.of("tenants.team-a.max-creations-per-second", "2"));
    addJobs(A0, "a-", "team-a", 6);
    addJobs(B0, "b-", "team-b", 20);

    intake.step();
    assertThat(running("a-")).as("a second's worth at once").isEqualTo(2);
    assertThat(running("b-")).isEqualTo(8);
    end("b-0");
    end("b-1");
    intake.step();
    assertThat(running("a-")).as("no start left this second").isEqualTo(2);

    clock.advance(Duration.ofMillis(500));
    end("b-2");
    intake.step();
    assertThat(running("a-")).as("one more after half a second").isEqualTo(3);
  }

  @Test
  void urgentWorkTakesTheNextSlotsAheadOfABacklogUpToItsShare() {
    startTenantIntake(4, Map.of("tenants.team-b.urgent", "true"));
    addJobs(A0, "a-", "team-a", 10);
    intake.step();
    intake.step();
    addJobs(B0, "b-", "team-b", 10);
    intake.step();

    for (int i = 0; i < 4; i++) {
      end("a-" + i);
    }
    intake.step();
    assertThat(running("b-")).as("urgent first, up to half the capacity").isEqualTo(2);
    assertThat(running("a-")).as("the rest keeps the other half").isEqualTo(2);
  }

  @Test
  void withFairShareOffRecordsStartInTheOrderRead() {
    startTenantIntake(4, Map.of("tenants.fair-share", "false", "tenants.team-b.urgent", "true"));
    addJobs(A0, "a-", "team-a", 10);
    intake.step();
    addJobs(B0, "b-", "team-b", 10);
    intake.step();
    assertThat(pausedAssigned())
        .as("every partition paused while records wait")
        .containsExactlyInAnyOrder(A0, B0);

    end("a-0");
    clock.advance(JobIntake.REFILL_WAIT);
    intake.step();
    assertThat(runs).as("the backlog's next record, not the urgent one").containsKey("a-4");
    assertThat(runs.keySet()).noneMatch(id -> id.startsWith("b-"));
  }

  private void addTo(TopicPartition tp, long offset, String id, String tenant) {
    consumer.addRecord(
        new ConsumerRecord<>(
            tp.topic(),
            tp.partition(),
            offset,
            id.getBytes(StandardCharsets.UTF_8),
            JobCodec.encode(JobRequest.builder(id, tenant, "a chair").build())));
  }

  @Test
  void freedSlotsRefillTogetherOnceATwentiethOfTheCapIsFreeOrTheRefillWaitHasPassed() {
    consumer.rebalance(List.of()); // the cap-3 intake lets go, so the new one is assigned P0
    startIntake(40); // refills in twos
    for (int i = 0; i < 44; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    assertThat(intake.inFlight()).isEqualTo(40);

    end("job-0");
    intake.step();
    assertThat(runs).as("one free slot waits for a second").doesNotContainKey("job-40");

    clock.advance(JobIntake.REFILL_WAIT);
    intake.step();
    assertThat(runs)
        .as("but not longer than the refill wait")
        .containsKey("job-40")
        .doesNotContainKey("job-41");

    end("job-1");
    end("job-2");
    intake.step();
    assertThat(runs).as("two free slots refill at once").containsKeys("job-41", "job-42");
    assertThat(intake.inFlight()).isEqualTo(40);
  }

  @Test
  void withARampUpTheCapOpensGraduallyFromTheFirstRecordsAfterIdlenessThenFully() {
    consumer.rebalance(List.of());
    startIntake(40, Map.of("intake.ramp-up", "1s")); // a refill batch of 2 from the first moment
    for (int i = 0; i < 50; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    assertThat(intake.inFlight()).as("one refill batch at first, not the whole cap").isEqualTo(2);
    intake.step();
    assertThat(consumer.paused()).as("the rest waits, paused").containsExactly(P0);

    clock.advance(Duration.ofMillis(250));
    intake.step();
    intake.step();
    assertThat(intake.inFlight())
        .as("a quarter of the ramp-up: a quarter of the cap")
        .isEqualTo(10);

    clock.advance(Duration.ofMillis(750));
    intake.step();
    assertThat(intake.inFlight()).as("the ramp-up over: the whole cap").isEqualTo(40);

    for (int i = 0; i < 40; i++) {
      end("job-" + i);
    }
    intake.step(); // the last 10 records start in the freed slots; then they end too
    for (int i = 40; i < 50; i++) {
      end("job-" + i);
    }
    intake.step();
    assertThat(intake.inFlight()).isZero();

    for (int i = 50; i < 90; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    intake.step();
    assertThat(intake.inFlight()).as("records after idleness ramp up again").isEqualTo(2);
  }

  @Test
  void withARampUpTheCapAlsoReopensGraduallyAfterTheGateWasClosed() {
    consumer.rebalance(List.of());
    startIntake(40, Map.of("intake.ramp-up", "1s"));
    for (int i = 0; i < 60; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    clock.advance(Duration.ofSeconds(1));
    intake.step();
    assertThat(intake.inFlight()).isEqualTo(40);

    gateReason = Optional.of("no route is up");
    for (int i = 0; i < 20; i++) {
      end("job-" + i);
    }
    intake.step();
    assertThat(intake.inFlight()).as("nothing starts while the gate is closed").isEqualTo(20);

    gateReason = Optional.empty();
    clock.advance(REFILL_WAIT_PASSED);
    intake.step();
    assertThat(intake.inFlight())
        .as("on resume the running keep their slots, the rest opens gradually")
        .isEqualTo(20);
    clock.advance(Duration.ofMillis(500));
    intake.step();
    assertThat(intake.inFlight()).as("half the ramp-up: half of the rest").isEqualTo(30);
    clock.advance(Duration.ofMillis(500));
    intake.step();
    assertThat(intake.inFlight()).isEqualTo(40);
  }

  @Test
  void waitingRecordsOfARevokedPartitionAreLeftToItsNextOwnerUncommitted() {
    for (int i = 0; i < 5; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    end("job-0");
    end("job-1");
    end("job-2");
    consumer.rebalance(List.of());
    intake.step();

    assertThat(runs)
        .as("job-3 and job-4 never start here")
        .containsOnlyKeys("job-0", "job-1", "job-2");
    assertThat(committedOffset())
        .as("committed up to the first record that never started")
        .isEqualTo(3);
  }

  @Test
  void publishesTheTerminalEventTheEndedStateAndTheOffsetInOneTransaction() {
    add(0, job("job-0"));
    intake.step();
    end("job-0");
    stepAfterCommitInterval();

    assertThat(transactions.transactionCommitted()).isTrue();
    List<ProducerRecord<byte[], byte[]>> written = transactions.history();
    assertThat(written).extracting(ProducerRecord::topic).containsExactly("events", "state");
    assertThat(JobCodec.decodeEvent(written.get(0).value()).status())
        .isEqualTo(JobStatus.SUCCEEDED);
    JobState ended = StateCodec.decode(written.get(1).value());
    assertThat(ended.isEnded()).isTrue();
    assertThat(written.get(1).partition()).as("state goes to the job record's partition").isZero();
    assertThat(committedOffset()).isEqualTo(1);
  }

  @Test
  void commitsOnlyTheContiguousCompletedPrefix() {
    for (int i = 0; i < 3; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    end("job-1");
    end("job-2");
    stepAfterCommitInterval();
    assertThat(committedOffset()).as("job-0 still runs: nothing past it may be committed").isZero();

    end("job-0");
    stepAfterCommitInterval();
    assertThat(committedOffset()).isEqualTo(3);
  }

  @Test
  void skipsAReplayedJobThatAlreadyEnded() {
    restored.put(
        JobState.ended(
            new JobIdentity("catalog", "done-before"),
            1,
            "gpt-image-1.5",
            "task-1",
            JobStatus.SUCCEEDED,
            0,
            clock.instant(),
            "w0"));
    add(0, job("done-before"));
    intake.step();
    stepAfterCommitInterval();

    assertThat(runs).isEmpty();
    assertThat(committedOffset()).isEqualTo(1);
    assertThat(transactions.history()).as("a replay publishes nothing again").isEmpty();
  }

  @Test
  void runsAnExplicitNewAttemptOfAJobThatEnded() {
    restored.put(
        JobState.ended(
            new JobIdentity("catalog", "again"),
            1,
            "gpt-image-1.5",
            "task-1",
            JobStatus.SUCCEEDED,
            0,
            clock.instant(),
            "w0"));
    add(0, JobCodec.encode(JobRequest.builder("again", "catalog", "a chair").attempt(2).build()));
    intake.step();
    assertThat(runs).containsKey("again");
  }

  @Test
  void resumesAJobWhoseTaskWasAlreadyAccepted() {
    JobState submitted =
        JobState.submitted(
            new JobIdentity("catalog", "paid"),
            1,
            "gpt-image-1.5",
            null,
            "task-9",
            0,
            clock.instant(),
            "w0");
    restored.put(submitted);
    add(0, job("paid"));
    intake.step();
    assertThat(resumedWith).containsEntry("paid", submitted);
  }

  @Test
  void aDuplicateRecordOfARunningJobEndsWithTheFirstRun() {
    add(0, job("twice"));
    add(1, job("twice"));
    intake.step();
    assertThat(intake.inFlight()).isEqualTo(2);
    end("twice");
    stepAfterCommitInterval();

    assertThat(committedOffset()).isEqualTo(2);
    assertThat(transactions.history()).filteredOn(r -> r.topic().equals("events")).hasSize(1);
  }

  @Test
  void pausesWhileTheGateIsClosedWithoutFailingAnything() {
    gateReason = Optional.of("spending stopped: unauthorized");
    intake.step();
    assertThat(consumer.paused()).containsExactly(P0);
    assertThat(intake.pausedReason()).contains("spending stopped: unauthorized");

    gateReason = Optional.empty();
    intake.step();
    assertThat(consumer.paused()).isEmpty();
  }

  @Test
  void waitingRecordsDoNotStartWhileTheGateIsClosed() {
    for (int i = 0; i < 5; i++) {
      add(i, job("job-" + i));
    }
    intake.step();
    end("job-0");
    gateReason = Optional.of("spending stopped: unauthorized");
    intake.step();
    assertThat(runs).as("a slot is free but spending stopped").doesNotContainKey("job-3");

    gateReason = Optional.empty();
    intake.step();
    assertThat(runs).containsKey("job-3");
  }

  @Test
  void deadLettersAnUndecodableRecordAndMovesOn() {
    add(0, "not json".getBytes(StandardCharsets.UTF_8));
    intake.step();
    stepAfterCommitInterval();

    assertThat(transactions.history()).as("dead letter and offset in one transaction").hasSize(1);
    var dead = transactions.history().get(0);
    assertThat(dead.topic()).isEqualTo("imagefleet.jobs.v1.dlq");
    assertThat(dead.value()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
    assertThat(
            new String(
                dead.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                StandardCharsets.UTF_8))
        .startsWith("undecodable");
    assertThat(committedOffset()).isEqualTo(1);
  }

  @Test
  void runsAJobThatHitAWorkerBugAgainBeforeDeadLettering() {
    add(0, job("flaky-bug"));
    intake.step();
    runs.get("flaky-bug").ending.completeExceptionally(new IllegalStateException("first"));
    end("flaky-bug"); // the second run
    stepAfterCommitInterval();
    assertThat(transactions.history())
        .extracting(ProducerRecord::topic)
        .doesNotContain("imagefleet.jobs.v1.dlq");
    assertThat(committedOffset()).isEqualTo(1);
  }

  @Test
  void aJobRunAgainAfterAWorkerBugTakesOverTheTaskItsFailedRunRecorded() {
    add(0, job("bug-after-paying"));
    intake.step();
    JobState paid =
        JobState.submitted(
            new JobIdentity("catalog", "bug-after-paying"),
            1,
            "gpt-image-1.5",
            null,
            "task-7",
            0,
            clock.instant(),
            "w1");
    runs.get("bug-after-paying").lastRecorded = paid;
    runs.get("bug-after-paying")
        .ending
        .completeExceptionally(new IllegalStateException("after the task was accepted"));

    assertThat(resumedWith)
        .as("the second run polls task-7 instead of paying again")
        .containsEntry("bug-after-paying", paid);
  }

  @Test
  void deadLettersARecordWhoseJobHitAWorkerBugEveryTime() {
    add(0, job("buggy"));
    intake.step();
    for (int i = 0; i < 3; i++) {
      runs.get("buggy").ending.completeExceptionally(new IllegalStateException("boom"));
    }
    stepAfterCommitInterval();

    assertThat(transactions.history()).hasSize(1);
    assertThat(
            new String(
                transactions
                    .history()
                    .get(0)
                    .headers()
                    .lastHeader(DeadLetterHeaders.REASON)
                    .value(),
                StandardCharsets.UTF_8))
        .contains("boom");
    assertThat(committedOffset()).isEqualTo(1);
  }

  @Test
  void aTransactionRunsOffTheLoopAndWhatEndsMeanwhileGoesInTheNextOne() {
    commits.holdBack();
    add(0, job("job-0"));
    add(1, job("job-1"));
    intake.step();
    end("job-0");
    stepAfterCommitInterval();
    assertThat(commits.waiting())
        .as("job-0's transaction waits on the committer's thread")
        .isEqualTo(1);
    end("job-1");
    stepAfterCommitInterval();
    assertThat(commits.waiting()).as("one transaction at a time").isEqualTo(1);

    commits.runAll();
    assertThat(committedOffset()).isEqualTo(1);
    stepAfterCommitInterval(); // applies the outcome
    assertThat(commits.waiting())
        .as("the next transaction keeps the commit gap from the last one's end")
        .isZero();
    clock.advance(Duration.ofMillis(10));
    intake.step(); // the gap has passed: job-1's transaction starts
    commits.runAll();
    assertThat(committedOffset()).isEqualTo(2);
    assertThat(transactions.history()).filteredOn(r -> r.topic().equals("events")).hasSize(2);
  }

  @Test
  void aTransactionThatDidNotCommitHandsItsEndingsToTheNextOne() {
    add(0, job("job-0"));
    intake.step();
    end("job-0");
    transactions.commitTransactionException = new KafkaException("the answer was lost");
    stepAfterCommitInterval(); // settled as not committed (the check says so): kept

    assertThat(laterProducers).as("a new producer settled the lost commit").hasSize(1);
    stepAfterCommitInterval();
    MockProducer<byte[], byte[]> next = laterProducers.get(0);
    assertThat(next.history()).filteredOn(r -> r.topic().equals("events")).hasSize(1);
    assertThat(
            next.consumerGroupOffsetsHistory().get(0).values().iterator().next().get(P0).offset())
        .isEqualTo(1);
  }

  @Test
  void handsRunningJobsOverOnRevocationAndIgnoresTheirLateEndings() {
    add(0, job("job-0"));
    intake.step();
    consumer.rebalance(List.of()); // revoked: job-0 is handed over
    assertThat(runs.get("job-0").cancelled).isTrue();

    consumer.rebalance(List.of(P0));
    end("job-0");
    stepAfterCommitInterval();
    assertThat(transactions.history())
        .as("a handed-over job's ending is its next owner's to publish")
        .isEmpty();
  }

  @Test
  void answersARecordNotKeyedByItsJobIdWithoutRunningIt() {
    consumer.addRecord(
        new ConsumerRecord<>(
            TOPIC, 0, 0, "other".getBytes(StandardCharsets.UTF_8), job("keyed-wrong")));
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, null, job("no-key")));
    intake.step();
    stepAfterCommitInterval();

    assertThat(runs).isEmpty();
    assertThat(events()).extracting(StatusEvent::jobId).containsExactly("keyed-wrong", "no-key");
    assertThat(events())
        .allSatisfy(
            e -> {
              assertThat(e.status()).isEqualTo(JobStatus.FAILED);
              assertThat(e.error().code()).isEqualTo(ErrorCodes.KEY_MISMATCH);
            });
    assertThat(transactions.history())
        .as("not ended: published under its job id, the job still runs")
        .noneMatch(r -> r.topic().equals("state"));
    assertThat(committedOffset()).isEqualTo(2);
  }

  @Test
  void answersAnotherRecordOfAnEndedAttemptWithADuplicateEvent() {
    restored.put(
        JobState.ended(
            new JobIdentity("catalog", "done"),
            1,
            null,
            null,
            JobStatus.SUCCEEDED,
            0,
            clock.instant(),
            "w0"));
    add(5, job("done"));
    intake.step();
    stepAfterCommitInterval();

    assertThat(runs).isEmpty();
    assertThat(events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(JobStatus.DUPLICATE);
              assertThat(e.error().code()).isEqualTo(ErrorCodes.DUPLICATE_JOB);
              assertThat(e.error().message()).contains("SUCCEEDED");
            });
    assertThat(committedOffset()).isEqualTo(6);
  }

  @Test
  void anErrorThrownForOneRecordDeadLettersItAndTheLoopGoesOn() {
    thrownFor.put("costly", new OutOfMemoryError("Java heap space"));
    add(0, job("costly"));
    add(1, job("ordinary"));
    intake.step();
    assertThat(runs).containsOnlyKeys("ordinary");
    end("ordinary");
    stepAfterCommitInterval();

    assertThat(transactions.history())
        .filteredOn(r -> r.topic().equals("imagefleet.jobs.v1.dlq"))
        .singleElement()
        .satisfies(
            letter ->
                assertThat(
                        new String(
                            letter.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                            StandardCharsets.UTF_8))
                    .startsWith("worker_error")
                    .contains("OutOfMemoryError"));
    assertThat(committedOffset()).isEqualTo(2);
  }

  @Test
  void anErrorOfTheLoopItselfEndsItAndSaysWhy() throws InterruptedException {
    consumer.setPollException(new KafkaException("not authorized to read the topic"));
    Thread loop = new Thread(intake, "intake-under-test");
    loop.start();
    assertThat(intake.awaitStopped(Duration.ofSeconds(30))).isTrue();
    assertThat(intake.failure())
        .hasValueSatisfying(why -> assertThat(why).contains("not authorized"));
  }

  private List<StatusEvent> events() {
    return transactions.history().stream()
        .filter(r -> r.topic().equals("events"))
        .map(r -> JobCodec.decodeEvent(r.value()))
        .toList();
  }

  private void end(String jobId) {
    StatusEvent terminal = TestEvents.terminal(jobId, JobStatus.SUCCEEDED, clock.instant(), "w1");
    runs.get(jobId).ending.complete(new JobEnding(terminal, null));
  }

  private void stepAfterCommitInterval() {
    clock.advance(Duration.ofSeconds(1));
    intake.step();
  }

  private long committedOffset() {
    var history = transactions.consumerGroupOffsetsHistory();
    if (history.isEmpty()) {
      return 0;
    }
    OffsetAndMetadata c = history.get(history.size() - 1).values().iterator().next().get(P0);
    return c == null ? 0 : c.offset();
  }

  /** A record keyed as the contract asks: by its job id (an undecodable one by anything). */
  private void add(long offset, byte[] value) {
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, keyOf(value, offset), value));
  }

  private static byte[] keyOf(byte[] value, long offset) {
    try {
      return JobCodec.decode(value).jobId().getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException undecodable) {
      return ("k" + offset).getBytes(StandardCharsets.UTF_8);
    }
  }

  private static byte[] job(String id) {
    return JobCodec.encode(JobRequest.builder(id, "catalog", "a chair").build());
  }

  /** The committer's thread, run by hand: direct unless held back. */
  private static final class HeldCommits implements Executor {
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private boolean holdBack;

    void holdBack() {
      holdBack = true;
    }

    int waiting() {
      return held.size();
    }

    void runAll() {
      while (!held.isEmpty()) {
        held.poll().run();
      }
    }

    @Override
    public void execute(Runnable command) {
      if (holdBack) {
        held.add(command);
      } else {
        command.run();
      }
    }
  }

  /** A job run the test ends by hand. */
  private static final class FakeRun implements JobHandler.RunningJob {
    final CompletableFuture<JobEnding> ending = new CompletableFuture<>();
    boolean cancelled;
    JobState lastRecorded;

    @Override
    public JobState lastRecordedState() {
      return lastRecorded;
    }

    @Override
    public CompletableFuture<JobEnding> ending() {
      return ending;
    }

    @Override
    public CompletableFuture<Void> stopCreating() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }
}
