package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.fleet.HostileCorpus.Entry;
import io.imagefleet.worker.fleet.HostileCorpus.Expected;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No record from any producer can stall, crash or slow a worker (issue 18): the {@link
 * HostileCorpus} is published as an outside team would (a plain byte producer, as kcat does) at a
 * running worker, then ordinary jobs. Every record gets exactly the one answer it is owed, nothing
 * invalid reaches the upstream, ordinary jobs still end, and the worker stays live.
 *
 * <p>The worker runs in a JVM of its own, with the small heap the test fleet gives such workers:
 * what a hostile record makes it allocate must not take down the broker that every test in this JVM
 * shares, and a worker must cope with the corpus without more memory than that.
 */
class HostileCorpusIT {
  private static final Duration ANSWERS_WITHIN = Duration.ofSeconds(180);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(200)))
                .build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @Test
  void everyHostileRecordGetsOneAnswerAndOrdinaryJobsStillEnd() throws Exception {
    List<Entry> corpus = HostileCorpus.entries();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
    try (TestFleet fleet = new TestFleet(simulator);
        KafkaProducer<byte[], byte[]> producer = plainProducer(fleet)) {
      int opsPort = freePort();
      Process worker =
          fleet.startWorkerProcess("worker-1", Map.of("ops.port", String.valueOf(opsPort)));
      URI ops = URI.create("http://127.0.0.1:" + opsPort);
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> status(ops, "/health/ready") == 200);

      Map<String, Entry> byOffset = new HashMap<>();
      for (Entry entry : corpus) {
        RecordMetadata sent = producer.send(record(fleet, entry)).get();
        byOffset.put(sent.partition() + "@" + sent.offset(), entry);
      }
      List<JobRequest> ordinary =
          IntStream.range(0, 10)
              .mapToObj(
                  i ->
                      JobRequest.builder("ordinary-" + i, "catalog", "ordinary-" + i + " a lamp")
                          .build())
              .toList();
      ordinary.forEach(fleet::submit);
      long started = System.nanoTime();

      await()
          .atMost(ANSWERS_WITHIN)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(worker.isAlive()).as("the worker process is alive").isTrue();
                Map<String, List<StatusEvent>> ended = fleet.terminalEvents();
                assertThat(ordinary)
                    .as("ordinary jobs that have not ended")
                    .filteredOn(job -> !ended.containsKey(job.jobId()))
                    .isEmpty();
                Answers answers = new Answers(fleet, byOffset);
                assertThat(corpus)
                    .as("hostile records without an answer")
                    .filteredOn(e -> answers.of(e).isEmpty())
                    .isEmpty();
              });
      System.out.printf(
          "HostileCorpusIT: %d hostile and %d ordinary records answered in %d ms%n",
          corpus.size(), ordinary.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());

      Map<String, List<StatusEvent>> ended = fleet.terminalEvents();
      assertThat(ordinary)
          .allSatisfy(
              job ->
                  assertThat(ended.get(job.jobId()))
                      .extracting(StatusEvent::status)
                      .containsExactly(JobStatus.SUCCEEDED));
      Answers answers = new Answers(fleet, byOffset);
      List<String> wrong =
          corpus.stream().map(e -> answers.problem(e, simulator)).filter(p -> p != null).toList();
      assertThat(wrong)
          .as("hostile records answered wrongly (worker log: %s)", fleet.processLog("worker-1"))
          .isEmpty();
      assertThat(answers.strayLetters()).as("dead letters of no hostile record").isEmpty();
      assertThat(worker.isAlive()).isTrue();
      assertThat(status(ops, "/health/live")).isEqualTo(200);
      assertThat(status(ops, "/health/ready")).isEqualTo(200);
    }
  }

  @Test
  void aRepeatedJobRunsOnceAndItsRepeatIsAnsweredDuplicate() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker worker = fleet.startWorker("worker-1");
      String prompt = "repeated a stool " + fleet.jobsTopic();
      JobRequest job = JobRequest.builder("repeated-1", "catalog", prompt).build();
      fleet.submit(job);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().containsKey(job.jobId()));

      fleet.submit(job);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet.eventsOf(job.jobId()).stream()
                      .anyMatch(e -> e.status() == JobStatus.DUPLICATE));

      List<StatusEvent> answers =
          fleet.eventsOf(job.jobId()).stream()
              .filter(e -> e.isTerminal() || e.status() == JobStatus.DUPLICATE)
              .toList();
      assertThat(answers)
          .extracting(StatusEvent::status)
          .containsExactlyInAnyOrder(JobStatus.SUCCEEDED, JobStatus.DUPLICATE);
      assertThat(answers)
          .filteredOn(e -> e.status() == JobStatus.DUPLICATE)
          .extracting(e -> e.error().code())
          .containsExactly(ErrorCodes.DUPLICATE_JOB);
      assertThat(simulator.stats().tasksCreatedForPrompt(prompt)).isEqualTo(1);
      assertThat(worker.isRunning()).isTrue();
    }
  }

  @Test
  void twoTenantsWithTheSameJobIdRunTwoJobs() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      fleet.startWorker("worker-1");
      JobRequest ours =
          JobRequest.builder("shared-id", "team-a", "team-a a desk " + fleet.jobsTopic()).build();
      JobRequest theirs =
          JobRequest.builder("shared-id", "team-b", "team-b a desk " + fleet.jobsTopic()).build();
      fleet.submitTogether(List.of(ours, theirs));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet.eventsOf("shared-id").stream().filter(StatusEvent::isTerminal).count()
                      == 2);
      assertThat(fleet.eventsOf("shared-id"))
          .filteredOn(StatusEvent::isTerminal)
          .extracting(StatusEvent::tenant, StatusEvent::status)
          .containsExactlyInAnyOrder(
              Tuple.tuple("team-a", JobStatus.SUCCEEDED),
              Tuple.tuple("team-b", JobStatus.SUCCEEDED));
    }
  }

  /** What the fleet said about each hostile record: its dead letters and its events. */
  private static final class Answers {
    private final Map<Entry, List<String>> answers = new HashMap<>();
    private final List<String> stray = new ArrayList<>();

    Answers(TestFleet fleet, Map<String, Entry> byOffset) {
      for (ConsumerRecord<byte[], byte[]> letter : fleet.deadLetters()) {
        String at =
            header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)
                + "@"
                + header(letter, DeadLetterHeaders.ORIGINAL_OFFSET);
        Entry entry = byOffset.get(at);
        String reason = header(letter, DeadLetterHeaders.REASON);
        if (entry == null) {
          stray.add(at + ": " + reason);
        } else {
          answers.computeIfAbsent(entry, e -> new ArrayList<>()).add("DEAD_LETTER " + reason);
        }
      }
      Map<String, Entry> byJobId = new HashMap<>();
      byOffset.values().stream()
          .filter(e -> e.jobId() != null)
          .forEach(e -> byJobId.put(JobIdentity.bounded(e.jobId()), e));
      for (StatusEvent event : fleet.events()) {
        Entry entry = byJobId.get(event.jobId());
        if (entry != null && (event.isTerminal() || event.status() == JobStatus.DUPLICATE)) {
          answers
              .computeIfAbsent(entry, e -> new ArrayList<>())
              .add(event.status() + (event.error() == null ? "" : " " + event.error().code()));
        }
      }
    }

    List<String> of(Entry entry) {
      return answers.getOrDefault(entry, List.of());
    }

    List<String> strayLetters() {
      return stray;
    }

    /** Why {@code entry} was not answered as it is owed, or null when it was. */
    String problem(Entry entry, UpstreamSimulator simulator) {
      List<String> got = of(entry);
      long tasks =
          simulator.stats().tasksCreatedByPrompt().keySet().stream()
              .filter(p -> p.startsWith(entry.marker() + " "))
              .count();
      Expected expected = entry.expected();
      boolean answeredRight =
          got.size() == 1
              && switch (expected.kind()) {
                case DEAD_LETTER -> got.get(0).startsWith("DEAD_LETTER undecodable");
                case FAILED ->
                    got.get(0).startsWith("FAILED ")
                        && (expected.codes().isEmpty()
                            || expected.codes().contains(got.get(0).substring("FAILED ".length())));
                case SUCCEEDED -> got.get(0).equals("SUCCEEDED");
              };
      boolean spentRight = expected.refused() ? tasks == 0 : tasks == 1;
      return answeredRight && spentRight
          ? null
          : entry
              + ": expected "
              + expected
              + ", got "
              + got
              + " and "
              + tasks
              + " upstream task(s)";
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
      Header h = record.headers().lastHeader(name);
      return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
  }

  private static ProducerRecord<byte[], byte[]> record(TestFleet fleet, Entry entry) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(fleet.jobsTopic(), entry.key(), entry.value());
    entry.headers().forEach((name, value) -> record.headers().add(name, value));
    return record;
  }

  /** Bytes in, bytes out, nothing of the project's own: how kcat or kafkajs would publish. */
  private static KafkaProducer<byte[], byte[]> plainProducer(TestFleet fleet) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static int status(URI ops, String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(ops.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
