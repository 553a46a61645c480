package io.imagefleet.worker;

import io.imagefleet.worker.budget.BudgetLedger;
import io.imagefleet.worker.budget.Budgets;
import io.imagefleet.worker.callback.CallbackDispatcher;
import io.imagefleet.worker.callback.OwedCallbacks;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.control.ControlTopicReader;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.intake.BrokerCheck;
import io.imagefleet.worker.intake.JobIntake;
import io.imagefleet.worker.intake.KafkaClientProperties;
import io.imagefleet.worker.intake.TransactionStats;
import io.imagefleet.worker.job.JobProcessor;
import io.imagefleet.worker.job.TerminalListener;
import io.imagefleet.worker.metrics.Operations;
import io.imagefleet.worker.metrics.WorkerGauges;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.resilience.SpendingGate;
import io.imagefleet.worker.routehealth.RouteHealth;
import io.imagefleet.worker.state.StateRestorer;
import io.imagefleet.worker.state.StateTopic;
import io.imagefleet.worker.state.StateWriter;
import io.imagefleet.worker.storage.ImageStore;
import io.imagefleet.worker.storage.ImageStores;
import io.imagefleet.worker.tenant.TenantDirectory;
import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.upstream.ApiKeyCheck;
import io.imagefleet.worker.upstream.HttpUpstreamClient;
import io.imagefleet.worker.upstream.UpstreamClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker, wired by hand: the composition root. Threads: one intake thread (owns the
 * consumer), one commit thread (the intake's transactions), one scheduler thread (poll timers,
 * retry backoff), the HTTP client's small pool, the storage pool, and the producers' own IO
 * threads.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerConfig config;
  private final ScheduledExecutorService scheduler;

  /** Runs the intake's transactions, one at a time, so the intake loop never blocks on a commit. */
  private final ExecutorService commits;

  private final UpstreamClient upstream;
  private final ImageStore store;
  private final Producer<byte[], byte[]> producer;
  private final JobIntake intake;
  private final SpendingGate spending;
  private final RouteHealth routeHealth;
  private final RouteTable routes;
  private final Thread intakeThread;
  private final Operations ops;
  private final StateRestorer restorer;
  private final Budgets budgets;
  private final CallbackDispatcher callbacks;
  private final OwedCallbacks owedCallbacks;
  private final Thread callbacksThread;
  private final ControlTopicReader control;
  private final JobTracing tracing;

  /**
   * Why the upstream refuses this worker's API key, while it does: the intake has not started (the
   * worker is not in the consumer group, so the fleet's other workers take the jobs).
   */
  private volatile Optional<String> keyRefusal = Optional.empty();

  /**
   * Why the image store takes no writes, while it does: the intake has not started either, since
   * every job this worker took would pay the upstream for images it could not keep.
   */
  private volatile Optional<String> storeRefusal = Optional.empty();

  /** Guards starting the intake thread: once, when both checks pass, or to close it. */
  private final Object intakeStart = new Object();

  private final CountDownLatch intakeStarted = new CountDownLatch(1);

  private Worker(WorkerConfig config, Clock clock, JobTracing tracing) {
    this.config = config;
    this.tracing = tracing;
    // First of all, so that a cluster that is not there or refuses this worker (bad credentials)
    // stops it within seconds, before any client or thread exists that would be left retrying.
    BrokerCheck.ensureReachable(config);
    // Job states: the topic is checked (co-partitioned with the jobs topic) before anything is
    // consumed.
    StateTopic.ensure(
        KafkaClientProperties.consumer(config), config.topics().jobs(), config.topics().state());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "job-scheduler");
              t.setDaemon(true);
              return t;
            });
    this.commits =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "commit");
              t.setDaemon(true);
              return t;
            });
    this.upstream = new HttpUpstreamClient(config.upstream());
    this.store = ImageStores.open(config.storage());
    this.producer = new KafkaProducer<>(KafkaClientProperties.producer(config));
    this.routeHealth = new RouteHealth(config, producer, clock);
    this.routes = new RouteTable(config, routeHealth, scheduler, clock, System::nanoTime);
    scheduler.scheduleWithFixedDelay(routes::tick, 1, 1, TimeUnit.SECONDS);
    this.spending =
        new SpendingGate(clock, config.outage().probeInterval(), routeHealth, config.workerId());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaClientProperties.consumer(config));
    this.ops =
        new Operations(
            config,
            producer,
            consumer,
            routes,
            new WorkerGauges(
                this::inFlight,
                this::assignedPartitions,
                this::isLive,
                this::inFlightByTenant,
                this::waitingByTenant),
            List.of(
                () -> keyRefusal,
                () -> storeRefusal,
                () -> spending.stoppedReason().map(r -> "spending stopped: " + r),
                this::intakeFailure,
                this::callbacksFailure),
            clock);
    TenantDirectory tenants =
        new TenantDirectory(config.tenants(), config.budgets().tenants().keySet());
    EventPublisher publisher =
        new EventPublisher(
            producer,
            config.topics().events(),
            RecordBudget.of(KafkaClientProperties.producer(config)),
            ops.observer(),
            tenants);
    // Budgets: a ledger only when some tenant has one; callbacks: delivered after a job's end is
    // durable.
    this.budgets =
        config.budgets().tenants().isEmpty()
            ? Budgets.NONE
            : new BudgetLedger(config, producer, scheduler, clock);
    this.callbacks =
        new CallbackDispatcher(config.callbacks(), config.workerId(), scheduler, clock, tracing);
    this.owedCallbacks =
        new OwedCallbacks(
            new KafkaConsumer<>(KafkaClientProperties.callbackConsumer(config)),
            producer,
            config.callbacks().owedTopic(),
            config.callbacks().topic(),
            callbacks,
            config.callbacks().maxPending(),
            clock,
            tenants);
    this.callbacksThread = new Thread(owedCallbacks, "callbacks");
    this.control = new ControlTopicReader(config, clock);
    this.restorer =
        new StateRestorer(
            KafkaClientProperties.consumer(config),
            config.topics().state(),
            config.intake().restoreTimeout());
    JobProcessor processor =
        new JobProcessor(
            config,
            upstream,
            routes,
            spending,
            store,
            publisher,
            new StateWriter(producer, config.topics().state(), scheduler),
            scheduler,
            clock,
            budgets,
            TerminalListener.NONE,
            control,
            tracing);
    this.intake =
        new JobIntake(
            config,
            consumer,
            () -> new KafkaProducer<>(KafkaClientProperties.transactionalProducer(config)),
            restorer::restore,
            restorer::isCommitted,
            processor,
            () -> intakePauseReason(routes),
            clock,
            ops.observer(),
            commits,
            tenants,
            tracing);
    this.intakeThread = new Thread(intake, "intake");
  }

  /** One free, authenticated call, bounded by the upstream's own request timeout. */
  private Optional<String> checkApiKey() {
    try {
      return ApiKeyCheck.refusal(upstream).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.empty(); // the jobs find out, as they would without the check
    }
  }

  /**
   * While the key or the image store is refused: asks again what was refused, and starts taking
   * jobs once both are accepted.
   */
  private void checkAgain() {
    if (keyRefusal.isPresent()) {
      keyRefusal = checkApiKey();
      if (keyRefusal.isEmpty()) {
        log.info("the upstream accepts the API key now");
      }
    }
    if (storeRefusal.isPresent()) {
      storeRefusal = store.writeRefusal();
      if (storeRefusal.isEmpty()) {
        log.info("the image store takes writes now");
      }
    }
    if (keyRefusal.isEmpty() && storeRefusal.isEmpty() && intakeStarted.getCount() > 0) {
      log.info("taking jobs");
      startIntake();
    }
  }

  private void startIntake() {
    synchronized (intakeStart) {
      if (intakeStarted.getCount() > 0) {
        intakeThread.start();
        intakeStarted.countDown();
      }
    }
  }

  /**
   * Live: the intake loop runs, or waits on purpose for an API key the upstream accepts or an image
   * store that takes writes.
   */
  private boolean isLive() {
    return keyRefusal.isPresent() || storeRefusal.isPresent() || isRunning();
  }

  /** Why the upstream refuses the API key, if it does: the worker then takes no jobs. */
  public Optional<String> apiKeyRefusal() {
    return keyRefusal;
  }

  /** Why the image store takes no writes, if it does not: the worker then takes no jobs. */
  public Optional<String> storageRefusal() {
    return storeRefusal;
  }

  private Optional<String> intakePauseReason(RouteTable routes) {
    Optional<String> stopped = spending.stoppedReason().map(r -> "spending stopped: " + r);
    // A worker with nothing in flight keeps taking jobs while spending is stopped: they wait and
    // spend nothing, but one of them is the probe that resumes spending. Without it, a fleet whose
    // jobs were all handed over (a rebalance, a crash) would wait for a probe no worker can make.
    if (stopped.isPresent() && inFlight() > 0) {
      return stopped;
    }
    return routes.anyAvailable()
        ? Optional.empty()
        : Optional.of("every route's circuit breaker is open");
  }

  /**
   * Why intake is paused by something other than the in-flight cap (spending stopped, no route).
   */
  public Optional<String> intakePausedReason() {
    return intake.pausedReason();
  }

  /** Why spending is stopped (401, 402), if it is: the worker is then not ready. */
  public Optional<String> spendingStoppedReason() {
    return spending.stoppedReason();
  }

  /** Starts a worker: it joins the consumer group and begins taking jobs. */
  public static Worker start(WorkerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Worker start(WorkerConfig config, Clock clock) {
    return start(config, clock, JobTracing.from(config.tracing(), config.workerId()));
  }

  /**
   * A worker whose spans go to {@code tracing}, whatever {@code tracing.*} says (tests read them
   * from an in-memory exporter); closing the worker closes it.
   */
  public static Worker start(WorkerConfig config, Clock clock, JobTracing tracing) {
    Worker worker = new Worker(config, clock, tracing);
    worker.routeHealth.start(worker.routes, worker.spending);
    worker.control.start();
    worker.keyRefusal = worker.checkApiKey();
    worker.storeRefusal = worker.store.writeRefusal();
    if (worker.keyRefusal.isEmpty() && worker.storeRefusal.isEmpty()) {
      worker.startIntake();
    } else {
      worker.keyRefusal.ifPresent(r -> log.error("{}", r));
      worker.storeRefusal.ifPresent(
          r -> log.error("{}: taking no jobs until it does, asking again every probe interval", r));
      worker.scheduler.scheduleWithFixedDelay(
          worker::checkAgain,
          config.outage().probeInterval().toMillis(),
          config.outage().probeInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
    worker.callbacksThread.start();
    worker.ops.start();
    log.info(
        "worker {} started: bootstrap={} group={} jobs={} upstream={} max-in-flight={}",
        config.workerId(),
        config.kafka().bootstrapServers(),
        config.kafka().groupId(),
        config.topics().jobs(),
        config.upstream().baseUrl(),
        config.intake().maxInFlight());
    return worker;
  }

  public WorkerConfig config() {
    return config;
  }

  /** Metrics, health, status and heartbeat of this worker (its ops endpoint's URL and port). */
  public Operations operations() {
    return ops;
  }

  /**
   * What this worker's Kafka transactions (terminal events + states + offsets) have cost so far.
   */
  public TransactionStats transactionStats() {
    return intake.transactionStats();
  }

  /** Jobs this worker is running now. */
  public int inFlight() {
    return intake.inFlight();
  }

  /** Jobs this worker is running now per tenant (the shared jobs topic as one lane). */
  public Map<String, Integer> inFlightByTenant() {
    return intake == null ? Map.of() : intake.inFlightByTenant();
  }

  /** Records this worker has read and holds for a free slot, per tenant. */
  public Map<String, Integer> waitingByTenant() {
    return intake == null ? Map.of() : intake.waitingByTenant();
  }

  /** Partitions of the jobs topic this worker owns now. */
  public int assignedPartitions() {
    return intake.assignedPartitions();
  }

  /**
   * Why the intake loop ended without being asked to (an error of the worker itself), if it did:
   * the worker takes no jobs any more and must be restarted. Readiness reports it.
   */
  public Optional<String> intakeFailure() {
    return intake == null ? Optional.empty() : intake.failure();
  }

  /** Why callback deliveries stopped on this worker, if they did (a bug: it must be restarted). */
  public Optional<String> callbacksFailure() {
    return owedCallbacks == null ? Optional.empty() : owedCallbacks.failure();
  }

  /** Waits until the intake loop has ended, for whatever reason. */
  public void awaitIntakeEnd() throws InterruptedException {
    intakeStarted.await();
    intakeThread.join();
  }

  /** Whether the intake loop is still running. */
  public boolean isRunning() {
    return intakeThread.isAlive();
  }

  /**
   * Graceful stop (SIGTERM): stop intake, let in-flight jobs finish within the grace period,
   * commit, close. Jobs still unfinished are released uncommitted: the partition's next owner runs
   * them.
   */
  @Override
  public void close() {
    ops.stopping();
    intake.stop();
    // An intake never started (the key was refused) still owns its consumer and producer: its run
    // sees the stop at once and closes them the one way it always does.
    startIntake();
    try {
      if (!intake.awaitStopped(config.intake().shutdownGrace().plus(Duration.ofSeconds(15)))) {
        log.warn("intake did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    control.close();
    owedCallbacks.close();
    callbacks.close();
    budgets.close();
    routeHealth.close();
    restorer.close();
    scheduler.shutdownNow();
    commits.shutdown(); // the intake waited for its last transaction before it stopped
    ops.close();
    producer.close(Duration.ofSeconds(10));
    upstream.close();
    store.close();
    tracing.close(); // last: exports the spans of the final commits and callbacks
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("worker {} stopped", config.workerId());
  }
}
