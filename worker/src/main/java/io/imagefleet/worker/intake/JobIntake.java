package io.imagefleet.worker.intake;

import io.imagefleet.contracts.UndecodableJobException;
import io.imagefleet.worker.config.IntakeSettings;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventObserver;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.state.PartitionStates;
import io.imagefleet.worker.tenant.CreationPace;
import io.imagefleet.worker.tenant.FairShare;
import io.imagefleet.worker.tenant.TenantCheck;
import io.imagefleet.worker.tenant.TenantDirectory;
import io.imagefleet.worker.tracing.JobTracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop. One thread owns the {@link Consumer}: it polls, hands records to the {@link
 * JobHandler}, applies completions that other threads leave in a queue (the "mailbox"), and every
 * commit interval starts one transaction holding the terminal events and ENDED states of the jobs
 * that completed plus each partition's contiguous completed prefix of offsets. Transactions run on
 * the committer's own thread, one at a time, while the loop goes on polling and refilling; their
 * outcome comes back to the loop, which alone touches the offsets and pending endings. It pauses
 * intake at the in-flight cap and while the {@link IntakeGate} says so. It never waits on HTTP or
 * another thread's lock; it waits on Kafka only to restore a newly assigned partition's job states
 * and, when a partition is handed over, for jobs caught in the middle of a submission to record
 * their task.
 *
 * <p>Bounds: at most {@code maxInFlight} jobs run at once. Records a poll returns past the cap wait
 * in the intake ({@link WaitingRecords}) and start as slots free (a twentieth of the cap at a
 * time). Keeping them, rather than seeking back, refills slots from memory instead of fetching the
 * same records again. Which record starts next: with fair share off, the one read first, and while
 * any wait every partition is paused, so they are never more than one poll's worth ({@code
 * max.poll.records}). With fair share on ({@link FairShare}), the oldest of the lane (tenant, or
 * the shared topic) furthest below its share; a lane's partitions are paused while any of its
 * records wait, while it is at its own cap and while its pace allows no start, so each lane holds
 * at most one poll's worth; a lane with nothing waiting is fetched even at the cap, so that its
 * work takes the next free slot instead of queueing behind another lane's records. The completion
 * queue holds at most one entry per running job. Other threads only call {@link #stop()} and the
 * read-only accessors.
 *
 * <p>Why one class of this length: what a record becomes ({@link Admission}), a partition's state
 * ({@link AssignedPartition}) and the pace of transactions ({@link CommitCycle}) live elsewhere;
 * what stays is the order in which the one thread changes slots, waiting records, pauses and
 * partitions, including inside the rebalance callbacks. Split further, that order would be spread
 * over classes that each see a part of it.
 */
public final class JobIntake implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(JobIntake.class);

  private final Consumer<byte[], byte[]> consumer;

  /** The shared jobs topic and every tenant's own jobs topic. */
  private final Pattern jobsTopics;

  private final String stateTopic;
  private final TenantDirectory tenants;
  private final IntakeSettings settings;
  private final IntakeGate gate;
  private final StateSource states;
  private final TransactionalCommitter committer;
  private final CommitCycle cycle;
  private final Admission admission;
  private final DeadLetters deadLetters;
  private final EventObserver observer;
  private final Clock clock;

  /** Free slots that start waiting records (see {@link #startWaiting()}). */
  private final int refillBatch;

  /** The cap in force: the configured one, opened gradually when records come after idleness. */
  private final IntakeRamp ramp;

  /** Whose waiting record starts next, when fair share is on. */
  private final FairShare shares;

  /** Starts per second of the tenants that have a cap on them; owned by the intake thread. */
  private final CreationPace pace;

  /** Jobs in flight per lane; counted down by the jobs' threads. */
  private final LaneCounts lanes = new LaneCounts();

  /**
   * The longest a free slot waits for the rest of its refill batch: the producer's linger, within
   * which the batch's writes share requests anyway. Without it, a slot freed when endings trickle
   * in would stay empty until a twentieth of the cap was free.
   */
  static final Duration REFILL_WAIT = Duration.ofMillis(5);

  // Shared with job threads.
  private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean stopping;
  private volatile int assignedPartitions;
  private volatile String gateReason;

  /** Why the loop died, when it did not stop on request; health reports it. */
  private volatile String failure;

  private final CountDownLatch finished = new CountDownLatch(1);

  // Owned by the intake thread.
  private final Map<TopicPartition, AssignedPartition> partitions = new HashMap<>();

  /**
   * Records polled past the cap: at most one poll's worth (per lane with fair share on), as their
   * partitions are paused meanwhile.
   */
  private final WaitingRecords waiting;

  private boolean paused;

  /**
   * Partitions assigned to this worker that it cannot serve (see {@link #unservable}): kept paused,
   * their records untouched, until a rebalance after the cause is fixed.
   */
  private final Set<TopicPartition> unserved = new HashSet<>();

  /** Partitions of the state topic; a tenant's jobs partition beyond them has no state to use. */
  private int statePartitions = Integer.MAX_VALUE;

  /** When a slot first stood free while records waited; null when none does. */
  private Instant slotFreeSince;

  /**
   * @param transactionalFactory makes the intake's own transactional producer (terminal events,
   *     states, dead letters, offsets)
   * @param commits runs the transactions, one at a time (a direct executor commits on the loop's
   *     own thread, as the unit tests do)
   */
  public JobIntake(
      WorkerConfig config,
      Consumer<byte[], byte[]> consumer,
      Supplier<Producer<byte[], byte[]>> transactionalFactory,
      StateSource states,
      CommitCheck commitCheck,
      JobHandler processor,
      IntakeGate gate,
      Clock clock,
      EventObserver observer,
      Executor commits) {
    this(
        config,
        consumer,
        transactionalFactory,
        states,
        commitCheck,
        processor,
        gate,
        clock,
        observer,
        commits,
        new TenantDirectory(config.tenants(), config.budgets().tenants().keySet()),
        JobTracing.off());
  }

  /**
   * @param tenants told, after each rebalance, which tenants have topics of their own
   * @param tracing traces the transaction that makes each job's ending durable ({@code job.commit})
   */
  public JobIntake(
      WorkerConfig config,
      Consumer<byte[], byte[]> consumer,
      Supplier<Producer<byte[], byte[]>> transactionalFactory,
      StateSource states,
      CommitCheck commitCheck,
      JobHandler processor,
      IntakeGate gate,
      Clock clock,
      EventObserver observer,
      Executor commits,
      TenantDirectory tenants,
      JobTracing tracing) {
    this.refillBatch = Math.max(1, config.intake().maxInFlight() / 20);
    this.ramp =
        new IntakeRamp(config.intake().maxInFlight(), refillBatch, config.intake().rampUp());
    this.shares = new FairShare(tenants.settings().shares(), tenants.topics());
    this.pace = new CreationPace(tenants.settings().shares());
    this.waiting = new WaitingRecords(shares::laneOf);
    this.consumer = consumer;
    this.jobsTopics =
        Pattern.compile(
            Pattern.quote(config.topics().jobs()) + "|" + tenants.topics().jobsPattern().pattern());
    this.stateTopic = config.topics().state();
    this.tenants = tenants;
    this.settings = config.intake();
    this.gate = gate;
    this.states = states;
    RecordBudget budget = RecordBudget.of(KafkaClientProperties.transactionalProducer(config));
    this.deadLetters =
        new DeadLetters(config.topics().deadLetters(), config.workerId(), clock, budget);
    this.committer =
        new TransactionalCommitter(
            transactionalFactory,
            commitCheck,
            new Outputs(
                config.topics().events(),
                config.topics().state(),
                config.callbacks().owedTopic(),
                config.workerId(),
                clock,
                deadLetters,
                budget,
                tenants));
    this.cycle =
        new CommitCycle(committer, commits, consumer, config.intake(), observer, clock, tracing);
    this.admission =
        new Admission(
            processor,
            new StatusEvents(config.workerId(), clock),
            config.intake().maxWorkerFailures(),
            new TenantCheck(config.topics().jobs(), tenants));
    this.observer = observer;
    this.clock = clock;
  }

  /** Jobs running now, including jobs of partitions this worker no longer owns. */
  public int inFlight() {
    return running.get();
  }

  /**
   * Jobs running now per lane: a tenant with a jobs topic of its own, or {@link
   * FairShare#SHARED_LANE}; a lane with none has no entry.
   */
  public Map<String, Integer> inFlightByTenant() {
    return lanes.snapshot();
  }

  /** Records read and waiting for a slot per lane, as {@link #inFlightByTenant()} names them. */
  public Map<String, Integer> waitingByTenant() {
    return waiting.countsByLane();
  }

  /** Partitions this worker owns now. */
  public int assignedPartitions() {
    return assignedPartitions;
  }

  /**
   * What this worker's transactions have cost so far (read after the loop stopped for exact
   * figures).
   */
  public TransactionStats transactionStats() {
    return committer.stats();
  }

  /**
   * Why intake is paused by the gate now (spending stopped, no route), for health; empty otherwise.
   */
  public Optional<String> pausedReason() {
    return Optional.ofNullable(gateReason);
  }

  /**
   * Why the loop ended without being asked to (an error of the worker itself, not of a record), if
   * it did: the worker cannot take jobs any more and should be restarted.
   */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** Asks the loop to stop taking jobs, hand the running ones over, commit and close. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /** Waits until the loop has committed and closed the consumer. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      committer.init();
      subscribe();
      while (!stopping) {
        step();
      }
      handOver();
    } catch (Throwable e) {
      // Records cannot get here (handle() answers each one, whatever it throws): this is the
      // worker's own
      // error. Its jobs are released uncommitted to their next owner; the worker exits to be
      // restarted.
      failure = "the intake loop failed: " + e;
      log.error("intake loop failed; unfinished jobs are released to the next owner", e);
    } finally {
      try {
        cycle.await(); // the producer closes below: no transaction may still be running on it
        consumer.close(Duration.ofSeconds(10));
      } finally {
        committer.close();
        finished.countDown();
      }
    }
  }

  /**
   * Joins the group. Package-private with {@link #step()} so tests can drive the loop on their own
   * thread.
   */
  void subscribe() {
    List<PartitionInfo> state = consumer.partitionsFor(stateTopic);
    if (state != null && !state.isEmpty()) {
      statePartitions = state.size();
    }
    // By pattern: a tenant's topic created later is joined at the next metadata refresh
    // (metadata.max.age.ms), without a restart.
    consumer.subscribe(jobsTopics, new Rebalance());
  }

  /**
   * One turn of the loop: completions, commit, waiting records into freed slots, backpressure,
   * poll, dispatch.
   */
  void step() {
    applyCompletions();
    cycle.commitIfDue(partitions.values(), running.get() == 0);
    observeGate();
    startWaiting();
    applyBackpressure();
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(pollTimeout());
    } catch (WakeupException e) {
      return; // woken to look again: a completion, a finished commit, or stop()
    }
    dispatch(records);
  }

  /**
   * SIGTERM: take nothing new, commit what ended, let jobs caught mid-submission record their task
   * (bounded by the grace), then hand every running job over without waiting for it to finish: the
   * next owner restores its state and resumes polling its task.
   */
  private void handOver() {
    consumer.pause(consumer.assignment());
    paused = true;
    // Never started, never tracked: the next owner fetches them from the committed offset.
    waiting.clear();
    log.info("stopping intake: {} job(s) in flight are handed over", running.get());
    applyCompletions();
    cycle.commitNow(partitions.values());
    awaitSettled(partitions.values(), settings.shutdownGrace());
    applyCompletions();
    cycle.commitNow(partitions.values());
    partitions.values().forEach(AssignedPartition::cancelRunning);
  }

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    if (!records.isEmpty() && running.get() == 0 && waiting.isEmpty()) {
      ramp.start(clock.instant(), 0); // work after idleness: the cap opens gradually again
    }
    // In the order read; those past the cap wait, and their partitions are paused below before
    // the next poll.
    records.forEach(waiting::add);
    startWhileFree();
  }

  /** Starts waiting records, the next as {@link #nextWaiting()} chooses, while slots are free. */
  private void startWhileFree() {
    while (hasFreeSlot()) {
      ConsumerRecord<byte[], byte[]> next = nextWaiting();
      if (next == null) {
        return;
      }
      start(next);
    }
  }

  /**
   * The waiting record to start next: the one read first, or with fair share on the oldest of the
   * lane furthest below its share; null when none may start.
   */
  private ConsumerRecord<byte[], byte[]> nextWaiting() {
    if (!shares.enabled()) {
      return waiting.pollOldest();
    }
    return nextLane().map(waiting::pollOldestOf).orElse(null);
  }

  /** Fair share: the lane whose record starts next, among those with records waiting. */
  private Optional<String> nextLane() {
    Instant now = clock.instant();
    Set<String> ready =
        waiting.lanes().stream()
            .filter(lane -> pace.mayStart(lane, now))
            .collect(Collectors.toSet());
    return ready.isEmpty()
        ? Optional.empty()
        : shares.next(ramp.capAt(now), lanes.snapshot(), ready);
  }

  /** Whether a waiting record may start in a free slot now. */
  private boolean canStartWaiting() {
    return shares.enabled() ? nextLane().isPresent() : !waiting.isEmpty();
  }

  /**
   * Starts waiting records while slots are free and the gate is open, once a twentieth of the cap
   * is free or a slot has stood free for {@link #REFILL_WAIT}: jobs started together share their
   * first state writes' produce requests, where jobs started one by one would each cost the broker
   * a request of their own.
   */
  private void startWaiting() {
    if (!hasFreeSlot() || !canStartWaiting()) {
      slotFreeSince = null;
      return;
    }
    Instant now = clock.instant();
    if (slotFreeSince == null) {
      slotFreeSince = now;
    }
    boolean batchFull = ramp.capAt(now) - running.get() >= refillBatch;
    boolean due = batchFull || !now.isBefore(slotFreeSince.plus(REFILL_WAIT));
    if (!due || gateReason != null) {
      return;
    }
    slotFreeSince = null;
    startWhileFree();
  }

  /**
   * The configured poll timeout, or less when a transaction for waiting endings falls due sooner,
   * or (with the gate open) a free slot's refill does, or while the cap opens with records waiting
   * for it.
   */
  private Duration pollTimeout() {
    Instant now = clock.instant();
    Duration timeout = settings.pollTimeout();
    if (cycle.isWaiting(partitions.values())) {
      timeout = shorter(timeout, Duration.between(now, cycle.nextCommitAt(running.get() == 0)));
    }
    if (gateReason != null) {
      return timeout;
    }
    if (slotFreeSince != null) {
      return shorter(timeout, Duration.between(now, slotFreeSince.plus(REFILL_WAIT)));
    }
    boolean opening = !waiting.isEmpty() && ramp.isRamping(now);
    return opening ? shorter(timeout, REFILL_WAIT) : timeout;
  }

  private static Duration shorter(Duration a, Duration b) {
    Duration least = a.compareTo(b) < 0 ? a : b;
    return least.isNegative() ? Duration.ZERO : least;
  }

  private boolean hasFreeSlot() {
    return running.get() < ramp.capAt(clock.instant());
  }

  private void start(ConsumerRecord<byte[], byte[]> record) {
    AssignedPartition owner =
        partitions.get(new TopicPartition(record.topic(), record.partition()));
    if (owner == null) {
      return; // its partition was handed over: the next owner fetches it from the committed offset
    }
    owner.track(record.offset());
    running.incrementAndGet();
    String lane = shares.laneOf(record.topic());
    lanes.started(lane);
    pace.started(lane, clock.instant());
    handle(record, owner);
  }

  /**
   * Answers one record, whatever it holds: a job is run, joined to its running twin, skipped or
   * answered without running; a record that is not a job, or that makes the worker throw anything
   * at all, is dead-lettered. Nothing thrown here reaches the loop (invariant 5).
   */
  private void handle(ConsumerRecord<byte[], byte[]> record, AssignedPartition owner) {
    CompletableFuture<JobEnding> outcome;
    try {
      outcome = admission.admit(record, owner);
    } catch (UndecodableJobException e) {
      deadLetter(owner, record, "undecodable: " + e.getMessage(), e);
      return;
    } catch (
        Throwable e) { // even an Error: one record's cost (a huge allocation) must not end the loop
      deadLetter(owner, record, "worker_error: " + describe(e), e);
      return;
    }
    outcome.whenComplete(
        (ending, error) -> {
          if (error == null) {
            finish(owner, record.offset(), ending, null);
          } else if (isCancellation(error)) {
            // Handed over: the offset stays uncommitted, the partition's next owner resumes the
            // job.
            ended(record.topic());
          } else {
            deadLetter(
                owner,
                record,
                "worker_error after "
                    + settings.maxWorkerFailures()
                    + " attempt(s): "
                    + describe(error),
                error);
          }
        });
  }

  private void finish(
      AssignedPartition owner,
      long offset,
      JobEnding ending,
      ProducerRecord<byte[], byte[]> deadLetter) {
    boolean first = completions.isEmpty();
    completions.add(new Completion(owner, offset, ending, deadLetter));
    ended(owner.partition().topic());
    if (first) {
      // The loop may be waiting in poll (paused at the cap, nothing to fetch): wake it to commit
      // the
      // ending and refill the slot now. Later completions find the mailbox non-empty and wait with
      // it.
      consumer.wakeup();
    }
  }

  /** A job of {@code topic} no longer runs here. Called on the job's thread. */
  private void ended(String topic) {
    lanes.ended(shares.laneOf(topic));
    running.decrementAndGet();
  }

  private static boolean isCancellation(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof CancellationException;
  }

  /** Dead-letters the record: written with its offset in the next transaction, so exactly once. */
  private void deadLetter(
      AssignedPartition owner,
      ConsumerRecord<byte[], byte[]> record,
      String reason,
      Throwable error) {
    log.warn(
        "dead-lettering {}-{}@{}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason.length() <= 200 ? reason : reason.substring(0, 200) + "...");
    finish(owner, record.offset(), null, deadLetters.letter(record, reason, error));
  }

  private static String describe(Throwable error) {
    Throwable e =
        error.getCause() != null && error instanceof CompletionException ? error.getCause() : error;
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private void applyCompletions() {
    Completion c;
    while ((c = completions.poll()) != null) {
      AssignedPartition owner = c.owner();
      if (partitions.get(owner.partition()) != owner) {
        continue; // from an earlier assignment: its next owner took over
      }
      owner.answered(c.offset(), c.ending(), c.deadLetter());
    }
  }

  /**
   * Waits, up to {@code limit}, until no job of {@code which} is in the middle of a submission: a
   * job handed over then has its task recorded, so its next owner resumes it instead of paying
   * again.
   */
  private void awaitSettled(Collection<AssignedPartition> which, Duration limit) {
    CompletableFuture<?>[] settling =
        which.stream()
            .flatMap(p -> p.running().stream())
            .map(JobHandler.RunningJob::stopCreating)
            .toArray(CompletableFuture[]::new);
    if (settling.length == 0) {
      return;
    }
    try {
      CompletableFuture.allOf(settling).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "some jobs were still submitting after {}: their next owner may submit them again",
          limit);
    } catch (ExecutionException e) {
      // a run that failed has nothing left to record
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads the gate once per turn; a resume opens the rest of the cap gradually, as after idleness.
   */
  private void observeGate() {
    String reason = gate.pauseReason().orElse(null);
    if (reason != null && !reason.equals(gateReason)) {
      log.warn("intake paused: {}", reason);
    } else if (reason == null && gateReason != null) {
      log.warn("intake resumed: {} no longer holds", gateReason);
      ramp.start(clock.instant(), running.get());
    }
    gateReason = reason;
  }

  private void applyBackpressure() {
    int inFlight = running.get();
    if (shares.enabled() && gateReason == null) {
      fetchLanesWithNothingWaiting();
      paused = false;
      return;
    }
    boolean full = !hasFreeSlot() || !waiting.isEmpty();
    if (!paused && (full || gateReason != null)) {
      consumer.pause(consumer.assignment());
      paused = true;
      log.debug("intake paused at {} in flight, {} record(s) waiting", inFlight, waiting.size());
    } else if (paused && !full && gateReason == null) {
      Set<TopicPartition> served = new HashSet<>(consumer.assignment());
      served.removeAll(unserved);
      consumer.resume(served);
      paused = false;
      log.debug("in-flight {} below the cap: intake resumed", inFlight);
    }
  }

  /**
   * Fair share: fetches the partitions of the lanes with nothing waiting that may start a job
   * (below their own cap, their pace allowing), and pauses the others. A lane with records waiting
   * has enough for now: fetching it too would read ahead into memory. A lane with nothing waiting
   * is fetched even at the worker's cap, so that its work is known when the next slot frees and is
   * not left behind the records of a lane that had read earlier; it reads at most one poll's worth.
   */
  private void fetchLanesWithNothingWaiting() {
    Instant now = clock.instant();
    Set<TopicPartition> pausedNow = consumer.paused();
    Set<TopicPartition> pause = new HashSet<>();
    Set<TopicPartition> resume = new HashSet<>();
    for (TopicPartition tp : consumer.assignment()) {
      if (unserved.contains(tp)) {
        continue;
      }
      String lane = shares.laneOf(tp.topic());
      boolean fetch =
          !waiting.holds(lane) && !shares.isAtCap(lane, lanes.of(lane)) && pace.mayStart(lane, now);
      if (fetch && pausedNow.contains(tp)) {
        resume.add(tp);
      } else if (!fetch && !pausedNow.contains(tp)) {
        pause.add(tp);
      }
    }
    consumer.pause(pause);
    consumer.resume(resume);
  }

  /**
   * Waiting records of partitions no longer owned: never started, never tracked, so nothing is
   * lost.
   */
  private void dropWaiting(Collection<TopicPartition> gone) {
    waiting.drop(gone);
  }

  /** Runs on the intake thread, inside poll(). */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      applyCompletions();
      cycle.commitNow(partitions.values()); // the group generation is still ours: commit what ended
      List<AssignedPartition> leaving =
          revoked.stream().map(partitions::get).filter(p -> p != null).toList();
      dropWaiting(revoked);
      awaitSettled(leaving, settings.shutdownGrace());
      applyCompletions();
      cycle.commitNow(leaving);
      int handedOver = 0;
      for (AssignedPartition p : leaving) {
        handedOver += p.cancelRunning();
        partitions.remove(p.partition());
      }
      unserved.removeAll(revoked);
      assignedPartitions = partitions.size();
      log.info("partitions revoked: {} ({} running job(s) handed over)", revoked, handedOver);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      Set<String> copyTopicsMissing = learnTenants();
      // One read of each state partition, however many jobs topics share it.
      Map<Integer, PartitionStates> restored = new HashMap<>();
      List<TopicPartition> toPause = new ArrayList<>();
      for (TopicPartition tp : assigned) {
        Optional<String> tenant = tenants.topics().tenantOfJobs(tp.topic());
        Optional<String> why = tenant.flatMap(t -> unservable(tp, t, copyTopicsMissing));
        if (why.isPresent()) {
          log.error("{} is not served: {}", tp, why.get());
          unserved.add(tp);
          toPause.add(tp);
          continue;
        }
        PartitionStates found = restored.computeIfAbsent(tp.partition(), states::restore);
        partitions.put(
            tp,
            new AssignedPartition(tp, tenant.isPresent() ? found.ofTenant(tenant.get()) : found));
      }
      assignedPartitions = partitions.size();
      // With fair share, the next turn resumes the lanes that may take more.
      if (paused || stopping || shares.enabled()) {
        consumer.pause(assigned);
      } else if (!toPause.isEmpty()) {
        consumer.pause(toPause);
      }
      log.info("partitions assigned: {}", assigned);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      dropWaiting(lost);
      unserved.removeAll(lost);
      for (TopicPartition tp : lost) {
        AssignedPartition p = partitions.remove(tp);
        if (p != null) {
          p.cancelRunning();
        }
      }
      assignedPartitions = partitions.size();
      log.warn("partitions lost: {} (not committed; their next owner resumes their jobs)", lost);
    }
  }

  /**
   * Tells the directory which tenants have their own jobs topic (those the pattern matched) and
   * returns the tenants among them whose copy topics are missing: they are left out, so that no
   * record is ever sent to a topic that does not exist.
   */
  private Set<String> learnTenants() {
    Set<String> withTopics = new TreeSet<>();
    for (String topic : consumer.subscription()) {
      tenants.topics().tenantOfJobs(topic).ifPresent(withTopics::add);
    }
    Set<String> missing = new TreeSet<>();
    if (tenants.settings().eventsPerTenant() && !withTopics.isEmpty()) {
      Set<String> existing = consumer.listTopics().keySet();
      for (String t : withTopics) {
        if (!existing.contains(tenants.topics().events(t))
            || !existing.contains(tenants.topics().callbacks(t))) {
          missing.add(t);
        }
      }
      withTopics.removeAll(missing);
    }
    tenants.replace(withTopics);
    return missing;
  }

  /**
   * Why a partition of {@code tenant}'s own jobs topic cannot be served by this worker, if so: its
   * jobs' states would go to a state partition that does not exist, or its events would be copied
   * to a topic that does not.
   */
  private Optional<String> unservable(TopicPartition tp, String tenant, Set<String> missing) {
    if (tp.partition() >= statePartitions) {
      return Optional.of(
          "the state topic "
              + stateTopic
              + " has only "
              + statePartitions
              + " partitions: a tenant's jobs topic may have at most as many");
    }
    if (missing.contains(tenant)) {
      return Optional.of(
          "tenants.events-per-tenant is on but "
              + tenants.topics().events(tenant)
              + " or "
              + tenants.topics().callbacks(tenant)
              + " is missing (bin/imagefleet topics --tenant "
              + tenant
              + " creates them)");
    }
    return Optional.empty();
  }

  private record Completion(
      AssignedPartition owner,
      long offset,
      JobEnding ending,
      ProducerRecord<byte[], byte[]> deadLetter) {}
}
