package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TraceHeaders;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.callback.Receiver;
import io.imagefleet.worker.callback.TestCertificates;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.tracing.SpanNames;
import io.imagefleet.worker.tracing.TraceContextCodec;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One trace per job, from the producer's span to the callback: the spans of a job's steps in order,
 * under the producer's trace id, read from an in-memory exporter in a worker on the real broker and
 * the simulator; and a job whose worker was killed (SIGKILL) goes on in the same trace under the
 * anchor its state record kept.
 */
class TracingIT {
  private static final String SECRET = "whsec-catalog-tracing-0123456789";
  private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("imagefleet.job_id");

  /** Short sessions so a killed worker's partitions move within seconds. */
  private static final Map<String, String> FAST_GROUP =
      Map.of(
          "kafka.session.timeout.ms", "6000",
          "kafka.heartbeat.interval.ms", "1000",
          "state.transaction-timeout", "5s");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final JobTracing tracing =
      JobTracing.of(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
  private UpstreamSimulator simulator;

  @AfterEach
  void stop() {
    provider.close();
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void eachJobIsOneTraceThatContinuesTheProducersAndReachesDownstream() throws Exception {
    TestCertificates certificates = TestCertificates.create();
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(DurationDistribution.fixed(Duration.ofMillis(800)))
                .build());
    String producer = traceparent();
    String producerTrace = TraceContextCodec.parse(producer).getTraceId();
    try (TestFleet fleet = new TestFleet(simulator);
        Receiver receiver = Receiver.https("127.0.0.1", 0, certificates);
        LogCapture logs = new LogCapture()) {
      receiver.answering(r -> Receiver.Answer.status(200));
      Map<String, String> settings = new HashMap<>();
      settings.put("callbacks.secret.catalog", SECRET);
      settings.put("callbacks.allow-private-destinations", "true");
      // hooks.imagefleet.test names the receiver on this machine, as DNS would name a real one.
      settings.put("callbacks.resolve." + TestCertificates.HOST, "127.0.0.1");
      settings.put("callbacks.trust-store", certificates.trustStore().toString());
      settings.put("callbacks.trust-store-password", TestCertificates.PASSWORD);
      Worker worker = fleet.startWorker("traced", settings, tracing);
      JobRequest traced =
          JobRequest.builder("traced-1", "catalog", "a kettle " + fleet.jobsTopic())
              .quality("low")
              .callbackUrl(
                  "https://"
                      + TestCertificates.HOST
                      + ":"
                      + receiver.port()
                      + "/hooks?token=not-in-spans")
              .build();
      JobRequest own =
          JobRequest.builder("own-1", "catalog", "a teapot " + fleet.jobsTopic())
              .quality("low")
              .build();
      fleet.submitTraced(traced, producer);
      fleet.submit(own);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  fleet.terminalEvents().keySet().containsAll(List.of("traced-1", "own-1"))
                      && !spansOf("traced-1", SpanNames.CALLBACK_SEND).isEmpty());

      List<SpanData> job = spansOf("traced-1");
      assertThat(job).extracting(SpanData::getTraceId).containsOnly(producerTrace);
      assertThat(steps(job))
          .containsExactly(
              SpanNames.ADMIT,
              SpanNames.UPSTREAM_CREATE,
              SpanNames.UPSTREAM_POLL,
              SpanNames.IMAGE_DOWNLOAD,
              SpanNames.IMAGE_STORE,
              SpanNames.JOB_COMMIT,
              SpanNames.CALLBACK_SEND);
      SpanData admit = only("traced-1", SpanNames.ADMIT);
      assertThat(admit.getParentSpanId()).isEqualTo(TraceContextCodec.parse(producer).getSpanId());
      for (SpanData step : job) {
        if (!step.getName().equals(SpanNames.ADMIT)
            && !step.getName().equals(SpanNames.CALLBACK_SEND)) {
          assertThat(step.getParentSpanId()).as(step.getName()).isEqualTo(admit.getSpanId());
        }
      }
      SpanData commit = only("traced-1", SpanNames.JOB_COMMIT);
      SpanData callback = only("traced-1", SpanNames.CALLBACK_SEND);
      assertThat(callback.getParentSpanId()).isEqualTo(commit.getSpanId());

      // Every event before the ending carries the job's anchor: a reader of progress continues
      // the job's trace too.
      List<ConsumerRecord<byte[], byte[]>> progress =
          fleet.eventRecordsOf("traced-1").stream()
              .filter(r -> !JobCodec.decodeEvent(r.value()).isTerminal())
              .toList();
      assertThat(progress).hasSizeGreaterThanOrEqualTo(2); // ACCEPTED, SUBMITTED, RUNNING...
      assertThat(progress)
          .allSatisfy(
              r -> {
                Header h = r.headers().lastHeader(TraceHeaders.TRACEPARENT);
                assertThat(h).as("traceparent on every event").isNotNull();
                SpanContext on =
                    TraceContextCodec.parse(new String(h.value(), StandardCharsets.UTF_8));
                assertThat(on.getTraceId()).isEqualTo(producerTrace);
                assertThat(on.getSpanId()).isEqualTo(admit.getSpanId());
              });

      // Downstream continues from the commit (events) and from the callback's request.
      SpanContext onEvent = TraceContextCodec.parse(terminalTraceparent(fleet, "traced-1"));
      assertThat(onEvent.getTraceId()).isEqualTo(producerTrace);
      assertThat(onEvent.getSpanId()).isEqualTo(commit.getSpanId());
      SpanContext onRequest =
          TraceContextCodec.parse(receiver.requests().get(0).header(TraceHeaders.TRACEPARENT));
      assertThat(onRequest.getTraceId()).isEqualTo(producerTrace);
      assertThat(onRequest.getSpanId()).isEqualTo(callback.getSpanId());
      assertThat(receiver.requests().get(0).signedWith(SECRET)).isTrue();

      // A job without a producer context gets a trace of its own, one per job.
      List<SpanData> ownJob = spansOf("own-1");
      assertThat(steps(ownJob))
          .containsExactly(
              SpanNames.ADMIT,
              SpanNames.UPSTREAM_CREATE,
              SpanNames.UPSTREAM_POLL,
              SpanNames.IMAGE_DOWNLOAD,
              SpanNames.IMAGE_STORE,
              SpanNames.JOB_COMMIT);
      assertThat(ownJob).extracting(SpanData::getTraceId).containsOnly(ownJob.get(0).getTraceId());
      assertThat(ownJob.get(0).getTraceId()).isNotEqualTo(producerTrace);
      assertThat(only("own-1", SpanNames.ADMIT).getParentSpanContext().isValid()).isFalse();

      // The jobs' meters link to their traces: an OpenMetrics scrape carries an exemplar.
      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + worker.operations().port() + "/metrics"))
                      .header("Accept", "application/openmetrics-text; version=1.0.0")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.body())
          .containsPattern(
              "imagefleet_jobs_total\\{route=\"[^\"]+\",status=\"SUCCEEDED\",[^}]*} 2.0 # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"("
                  + producerTrace
                  + "|"
                  + ownJob.get(0).getTraceId()
                  + ")\"}");

      // No URL (result links, the callback's query token) and no prompt in any span.
      assertThat(spans.getFinishedSpanItems())
          .flatExtracting(s -> s.getAttributes().asMap().values())
          .allSatisfy(
              value ->
                  assertThat(String.valueOf(value))
                      .doesNotContain("://")
                      .doesNotContain("token")
                      .doesNotContain("kettle"));
      assertThat(logs.linesOf("io.imagefleet.worker.job"))
          .filteredOn(l -> l.contains("traced-1") && l.contains("job succeeded"))
          .singleElement()
          .satisfies(l -> assertThat(l).contains("\"trace_id\"").contains(producerTrace));
    }
  }

  @Test
  void aJobTakenOverAfterASigkillStaysInItsTrace() throws Exception {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                // Long enough that the killed worker exports its first spans (every 5 s) and is
                // killed before the task is done, even on a loaded machine.
                .taskDuration(DurationDistribution.fixed(Duration.ofSeconds(20)))
                .build());
    String producer = traceparent();
    String producerTrace = TraceContextCodec.parse(producer).getTraceId();
    List<byte[]> exported = new CopyOnWriteArrayList<>();
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exported.add(exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try (TestFleet fleet = new TestFleet(simulator);
        TestFleet.Collector states =
            new TestFleet.Collector(
                fleet.bootstrapServers(), fleet.stateTopic(), TestFleet.PARTITIONS)) {
      Map<String, String> doomedSettings = new HashMap<>(FAST_GROUP);
      // The killed worker traces for real, over OTLP, to a collector in this test.
      doomedSettings.put(
          "tracing.otlp-endpoint",
          "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
      doomedSettings.put("tracing.service-name", "doomed-worker");
      doomedSettings.put("tracing.otlp-headers", "authorization=Bearer%20collector-key-1");
      Process doomed = fleet.startWorkerProcess("doomed", doomedSettings);
      JobRequest job =
          JobRequest.builder("handed-1", "catalog", "a clock " + fleet.jobsTopic())
              .quality("low")
              .build();
      fleet.submitTraced(job, producer);

      // Its task is paid for and recorded, with the job's trace anchor; its first spans exported.
      byte[] traceIdBytes = HexFormat.of().parseHex(producerTrace);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  submittedState(states, "handed-1").isPresent()
                      && exported.stream().anyMatch(body -> contains(body, traceIdBytes)));
      JobState recorded = submittedState(states, "handed-1").orElseThrow();
      assertThat(recorded.workerId()).isEqualTo("doomed");
      SpanContext anchor = TraceContextCodec.parse(recorded.traceparent());
      assertThat(anchor.getTraceId()).isEqualTo(producerTrace);
      assertThat(anchor.getSpanId())
          .as("the killed worker's own job.admit span")
          .isNotEqualTo(TraceContextCodec.parse(producer).getSpanId());

      doomed.destroyForcibly(); // SIGKILL: no hand-over, no last commit
      assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(fleet.processLog("doomed")))
          .as("the job's log lines name its trace")
          .contains("trace_id=" + producerTrace)
          .doesNotContain("collector-key-1");
      assertThat(authorizations).contains("Bearer collector-key-1");
      fleet.startWorker("survivor", FAST_GROUP, tracing);

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> fleet.terminalEvents().containsKey("handed-1"));
      StatusEvent end = fleet.terminalEvents().get("handed-1").get(0);
      assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(end.workerId()).isEqualTo("survivor");

      List<SpanData> survivor = spansOf("handed-1");
      assertThat(survivor).extracting(SpanData::getTraceId).containsOnly(producerTrace);
      assertThat(steps(survivor))
          .as("resumed: the paid task is polled, never created again")
          .containsExactly(
              SpanNames.ADMIT,
              SpanNames.UPSTREAM_POLL,
              SpanNames.IMAGE_DOWNLOAD,
              SpanNames.IMAGE_STORE,
              SpanNames.JOB_COMMIT);
      SpanData admit = only("handed-1", SpanNames.ADMIT);
      assertThat(admit.getAttributes().get(AttributeKey.booleanKey("imagefleet.handed_over")))
          .isTrue();
      assertThat(survivor)
          .as("every step hangs under the anchor the state record kept")
          .extracting(SpanData::getParentSpanId)
          .containsOnly(anchor.getSpanId());
      SpanContext onEvent = TraceContextCodec.parse(terminalTraceparent(fleet, "handed-1"));
      assertThat(onEvent.getTraceId()).isEqualTo(producerTrace);
      assertThat(onEvent.getSpanId()).isEqualTo(only("handed-1", SpanNames.JOB_COMMIT).getSpanId());
    } finally {
      collector.stop(0);
    }
  }

  /** A sampled W3C traceparent of a fresh producer span. */
  private static String traceparent() {
    HexFormat hex = HexFormat.of();
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    ThreadLocalRandom.current().nextBytes(trace);
    ThreadLocalRandom.current().nextBytes(span);
    trace[0] = (byte) (trace[0] | 1); // never all zero
    span[0] = (byte) (span[0] | 1);
    return "00-" + hex.formatHex(trace) + "-" + hex.formatHex(span) + "-01";
  }

  private List<SpanData> spansOf(String jobId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> jobId.equals(s.getAttributes().get(JOB_ID)))
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .toList();
  }

  private List<SpanData> spansOf(String jobId, String name) {
    return spansOf(jobId).stream().filter(s -> s.getName().equals(name)).toList();
  }

  private SpanData only(String jobId, String name) {
    List<SpanData> named = spansOf(jobId, name);
    assertThat(named).as("%s spans of %s", name, jobId).hasSize(1);
    return named.get(0);
  }

  /** Span names in start order, a run of the same step (polls, retries) as one. */
  private static List<String> steps(List<SpanData> job) {
    List<String> steps = new ArrayList<>();
    for (SpanData span : job) {
      if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(span.getName())) {
        steps.add(span.getName());
      }
    }
    return steps;
  }

  private static String terminalTraceparent(TestFleet fleet, String jobId) {
    List<ConsumerRecord<byte[], byte[]>> terminal =
        fleet.eventRecordsOf(jobId).stream()
            .filter(r -> JobCodec.decodeEvent(r.value()).isTerminal())
            .toList();
    assertThat(terminal).as("terminal events of %s", jobId).hasSize(1);
    Header header = terminal.get(0).headers().lastHeader(TraceHeaders.TRACEPARENT);
    assertThat(header).as("traceparent on the terminal event of %s", jobId).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Optional<JobState> submittedState(TestFleet.Collector states, String jobId) {
    return states.records().stream()
        .map(r -> StateCodec.decode(r.value()))
        .filter(s -> s.jobId().equals(jobId) && s.hasTask())
        .findFirst();
  }

  private static boolean contains(byte[] body, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= body.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (body[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
