package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.testing.MutableClock;
import io.imagefleet.worker.budget.Budgets;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.resilience.FleetLink;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.resilience.SpendingGate;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import io.imagefleet.worker.state.StateWriter;
import io.imagefleet.worker.storage.ImageKey;
import io.imagefleet.worker.storage.ImageStore;
import io.imagefleet.worker.tracing.JobTracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A worker's {@link JobServices} on fakes, for tests of one step of a job's life: a scripted
 * upstream, a manual scheduler and clock, an in-memory store, and a mock producer for events and
 * states. Events, states, upstream calls and stores land in one ordered trail.
 */
final class JobFixture {
  static final String ROUTE = "gpt-image-1.5";
  static final String FALLBACK = "gpt-image-1";

  final List<String> trail = new ArrayList<>();
  final List<Instant> createTimes = new ArrayList<>();
  final List<StatusEvent> events = new ArrayList<>();
  final List<JobState> states = new ArrayList<>();
  final List<StatusEvent> heardAfterEnd = new ArrayList<>();
  final Map<Integer, byte[]> stored = new HashMap<>();
  final FakeCancelRequests cancels = new FakeCancelRequests();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final FakeUpstream upstream =
      new FakeUpstream(
          call -> {
            trail.add(call);
            if (call.startsWith("create")) {
              createTimes.add(clock.instant());
            }
          });
  final WorkerConfig config;
  final SpendingGate spending;
  final RouteTable routes;
  final JobServices services;
  private final ImageStore store = store();
  private final EventPublisher publisher;
  private final StateWriter stateWriter;
  boolean storageFails;

  /** State writes still to fail, as a broker that does not answer in time would. */
  int stateWritesToFail;

  JobFixture() {
    this(Map.of());
  }

  JobFixture(Map<String, String> more) {
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                "worker.id", "w1",
                "kafka.bootstrap.servers", "unused:9092",
                "upstream.base-url", "http://unused",
                "upstream.api-key", "k",
                "topics.jobs", "jobs",
                "topics.state", "state",
                "topics.events", "events",
                "routes.0.model", ROUTE,
                "routes.1.model", FALLBACK,
                "outage.route-wait", "2m"));
    // Calls unpaced unless a test asks: the runs under test are not about pace.
    values.put("rate.adaptive", "false");
    values.put("routes.1.price.image-output", "0.04");
    values.putAll(more);
    config = ConfigLoader.fromMap(values, Map.of());
    spending =
        new SpendingGate(
            clock, config.outage().probeInterval(), FleetLink.ALONE, config.workerId());
    routes =
        new RouteTable(
            config,
            FleetLink.ALONE,
            scheduler,
            clock,
            () ->
                TimeUnit.SECONDS.toNanos(clock.instant().getEpochSecond())
                    + clock.instant().getNano());
    publisher = new EventPublisher(producer(), "events", new RecordBudget(1_000_000));
    stateWriter = new StateWriter(producer(), "state", Runnable::run); // no I/O thread to avoid
    CostLimits limits = new CostLimits(new CostEstimator(config), Budgets.NONE);
    services =
        new JobServices(
            config,
            new JobValidator(),
            new RouteFit(limits.estimator()),
            upstream,
            routes,
            spending,
            store,
            publisher,
            new StatusEvents(config.workerId(), clock, limits.estimator()::estimate),
            scheduler,
            PollSchedule.of(config.polling()),
            clock,
            limits,
            this::heard,
            stateWriter,
            cancels,
            JobTracing.off());
  }

  /** A processor on the same fakes, as the worker builds it. */
  JobProcessor processor() {
    return new JobProcessor(
        config,
        upstream,
        routes,
        spending,
        store,
        publisher,
        stateWriter,
        scheduler,
        clock,
        Budgets.NONE,
        this::heard,
        cancels,
        JobTracing.off());
  }

  private void heard(JobRequest job, StatusEvent terminal) {
    heardAfterEnd.add(terminal);
  }

  static JobRequest.Builder job(String id) {
    return JobRequest.builder(id, "catalog", "a lamp on a desk");
  }

  Attempt attempt(JobRequest job) {
    return new Attempt(
        job, 0, config.upstream().maxCallsPerJob(), JobTracing.off().startJob(job, null, null));
  }

  RouteGuard route(String model) {
    return routes.guard(model).orElseThrow();
  }

  long calls(String prefix) {
    return trail.stream().filter(t -> t.startsWith(prefix)).count();
  }

  private MockProducer<byte[], byte[]> producer;

  private MockProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer =
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(
                ProducerRecord<byte[], byte[]> record, Callback callback) {
              if (record.topic().equals("state")) {
                JobState state = StateCodec.decode(record.value());
                if (stateWritesToFail > 0) {
                  stateWritesToFail--;
                  trail.add("state " + state.phase() + " failed");
                  TimeoutException error = new TimeoutException("no answer from the broker");
                  callback.onCompletion(null, error);
                  return CompletableFuture.failedFuture(error);
                }
                states.add(state);
                trail.add("state " + state.phase());
              } else {
                StatusEvent event = read(record.value());
                events.add(event);
                trail.add("event " + event.status());
              }
              return super.send(record, callback);
            }
          };
    }
    return producer;
  }

  private ImageStore store() {
    return new ImageStore() {
      @Override
      public CompletableFuture<String> put(ImageKey key, byte[] bytes) {
        trail.add("store " + key.index());
        if (storageFails) {
          return CompletableFuture.failedFuture(new IOException("disk full"));
        }
        stored.put(key.index(), bytes);
        return CompletableFuture.completedFuture("mem://" + key.relativePath());
      }

      @Override
      public Optional<String> writeRefusal() {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }

  private static StatusEvent read(byte[] json) {
    try {
      return Json.mapper().readValue(json, StatusEvent.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
