package io.imagefleet.worker.resilience;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.worker.config.RateSettings;
import io.imagefleet.worker.resilience.WorkerDemand.Answers;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of call the upstream limits: the creations on one route, or the queries. Calls start at
 * this worker's part of the fleet's rate for the lane (the fleet's rate divided by the live
 * workers). A 429 is flow control: the call waits for the lane's pace and any {@code Retry-After}
 * and is made again; when the recent 429s show a limit (not a scattered few), the lane's rate is
 * cut to about what the upstream took (multiplicative decrease) and the cut, like the cooldown, is
 * shared with the fleet. Quiet seconds in which the worker used its part raise the rate again: it
 * doubles until the first 429 (slow start), then grows by a small step (additive increase); only
 * one worker of the fleet raises, so raises don't add up. Thread safe.
 */
public final class Lane {
  private static final Logger log = LoggerFactory.getLogger(Lane.class);

  /** The lane of task queries (polls), shared by every route: one API key, one query limit. */
  public static final String QUERIES = "query";

  /**
   * Cuts closer together than this are one cut: the 429s of calls made before a cut took effect (in
   * flight, or not yet seen by the other workers) say nothing new.
   */
  static final Duration CUT_HOLD = Duration.ofSeconds(2);

  /** A {@code Retry-After} at least this long pauses the whole fleet, not only this worker. */
  static final Duration SHARED_COOLDOWN = Duration.ofSeconds(1);

  /** No rate goes below this: the lane must keep probing to learn the limit is back. */
  static final double MIN_RATE = 0.2;

  /**
   * A limit shows as at least this many 429s, and this share of the answers, within the recent
   * window: a bucket emptied by too fast a pace refuses a growing share of the calls, while a
   * gateway's scattered 429s (load shedding, a neighbour's burst) refuse a few; cutting on each of
   * those would wear the rate down to nothing.
   */
  static final int LIMIT_REFUSALS = 3;

  static final double LIMIT_SHARE = 0.05;

  /**
   * Within a cut's hold, 429s on at least this share of the answers since the cut say the cut was
   * far too small (a rate grown during a quiet spell meets a limit at once): the lane cuts again
   * rather than spend the whole hold being refused.
   */
  static final double FAR_OVER_SHARE = 0.5;

  /**
   * A worker's part of a slow rate gives few answers in the window, and their refused share swings
   * wide; counting this many more taken calls keeps a cut from going deep on a handful.
   */
  static final int FEW_ANSWERS = 10;

  /**
   * The additive raise doubles with every this long without a cut, so a limit that went up is found
   * in tens of seconds rather than minutes, while the raise right after a cut stays small.
   */
  static final Duration PROBE_DOUBLING = Duration.ofSeconds(15);

  private final String name;
  private final RateSettings settings;
  private final double ceiling;
  private final Pacer pacer;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final FleetLink fleet;
  private final String workerId;
  private final AtomicLong throttledCalls = new AtomicLong();
  private final RecentCount starts;
  private final RecentCount accepted;
  private final RecentCount refused;
  private volatile List<Lane> followers = List.of();
  private volatile Runnable onBusy = () -> {};
  private volatile boolean announcedBusy;
  private volatile long queuedAt = Long.MIN_VALUE;

  // Guarded by this.
  private double fleetRate;
  private double rateAtCut;
  private boolean slowStart;
  private Instant cutAt;
  private Instant rateSetAt = Instant.MIN;
  private Instant coolUntil;
  private Instant downUntil;
  private Instant downSetAt = Instant.MIN;
  private int workers = 1;
  private boolean raises = true;
  private Answers othersAnswers = Answers.NONE;
  private long cuts;
  private int takenSinceCut;
  private int refusedSinceCut;

  /**
   * @param configured the fleet's rate from configuration ({@code routes.N.rate-limit}), 0 when
   *     none
   * @param initial the rate to start from when none is configured, 0 for no limit until a 429
   */
  Lane(
      String name,
      double configured,
      double initial,
      RateSettings settings,
      FleetLink fleet,
      String workerId,
      ScheduledExecutorService scheduler,
      Clock clock,
      LongSupplier nanoTime) {
    this.name = name;
    this.settings = settings;
    this.ceiling = configured;
    this.fleet = fleet;
    this.workerId = workerId;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.pacer = new Pacer(scheduler, nanoTime);
    this.starts = new RecentCount(nanoTime);
    this.accepted = new RecentCount(nanoTime);
    this.refused = new RecentCount(nanoTime);
    this.fleetRate = configured > 0 ? configured : settings.adaptive() ? initial : 0;
    this.slowStart = configured <= 0 && fleetRate > 0 && settings.adaptive();
    applyLocally();
  }

  /** The lane of creations on route {@code model}. */
  public static String creations(String model) {
    return "create:" + model;
  }

  public String name() {
    return name;
  }

  /**
   * Makes {@code call} at the lane's pace; on a 429 waits and makes it again, for up to {@code
   * maxThrottled} of 429s in a row, after which the call answers {@link
   * FailureKind#ROUTE_UNAVAILABLE} {@code rate_limited}. Never completes exceptionally unless the
   * call does. Once {@code wanted} says the caller gave the call up, it takes no more turns of the
   * pace: when its turn comes, {@code call} is asked at once, to answer without the upstream.
   */
  public <T> CompletableFuture<UpstreamOutcome<T>> paced(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call,
      Duration maxThrottled,
      BooleanSupplier wanted) {
    return paced(call, maxThrottled, wanted, 0L);
  }

  private <T> CompletableFuture<UpstreamOutcome<T>> paced(
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call,
      Duration maxThrottled,
      BooleanSupplier wanted,
      long throttledSince) {
    CompletableFuture<Boolean> permit = pacer.permit(wanted);
    if (!permit.isDone()) {
      queuedAt = nanoTime.getAsLong();
      if (!announcedBusy && busy()) {
        onBusy.run();
      }
    }
    return permit.thenCompose(
        go -> {
          if (!go) {
            return call.get();
          }
          starts.count();
          long pace = pace();
          return call.get()
              .thenCompose(
                  outcome -> answered(outcome, pace, call, maxThrottled, wanted, throttledSince));
        });
  }

  /** What became of a call made at {@code pace}: a 429 waits for the lane and makes it again. */
  private <T> CompletableFuture<UpstreamOutcome<T>> answered(
      UpstreamOutcome<T> outcome,
      long pace,
      Supplier<CompletableFuture<UpstreamOutcome<T>>> call,
      Duration maxThrottled,
      BooleanSupplier wanted,
      long throttledSince) {
    if (!(outcome instanceof Failure<T> f) || f.kind() != FailureKind.THROTTLED) {
      answered(pace);
      return CompletableFuture.completedFuture(outcome);
    }
    throttled(f.code(), f.retryAfter(), pace);
    long now = nanoTime.getAsLong();
    long since = throttledSince == 0L ? now : throttledSince;
    if (now - since >= maxThrottled.toNanos()) {
      return CompletableFuture.completedFuture(
          new Failure<T>(
              FailureKind.ROUTE_UNAVAILABLE,
              "rate_limited",
              "the upstream kept answering 429 on " + name + " for " + maxThrottled,
              f.httpStatus(),
              f.retryAfter()));
    }
    return paced(call, maxThrottled, wanted, since);
  }

  /** Called when the lane turns busy while the fleet was told it is idle. */
  void whenBusy(Runnable listener) {
    onBusy = listener;
  }

  /** Whether the fleet was last told this worker has work on the lane. */
  void announcedBusy(boolean busy) {
    announcedBusy = busy;
  }

  /**
   * Whether this worker wants more than its part of the rate: calls wait for their turn (now or
   * within the recent window) and it made calls at about its part. A worker whose few calls go
   * straight through, or only wait for the spacing of the pace, is not counted when the fleet
   * divides the rate; the 429s its calls may add are what the rate's cuts are for.
   */
  public boolean busy() {
    long queued = queuedAt;
    boolean queuing =
        pacer.waiting() > 0
            || (queued != Long.MIN_VALUE
                && nanoTime.getAsLong() - queued < RecentCount.WINDOW_NANOS);
    return queuing && usedItsPart();
  }

  /** The upstream answered a call with anything but a 429. */
  void answered() {
    answered(pace());
  }

  private void answered(long pace) {
    accepted.count();
    synchronized (this) {
      if (pace == cuts) {
        takenSinceCut++;
      }
    }
  }

  /**
   * The pace calls start at now, as the number of cuts so far: answers to calls started before the
   * last cut say nothing about the pace it set.
   */
  private synchronized long pace() {
    return cuts;
  }

  /**
   * The upstream answered 429: pause the lane for its {@code Retry-After}, cut the rate, and tell
   * the fleet.
   */
  void throttled(String code, Optional<Duration> retryAfter) {
    throttled(code, retryAfter, pace());
  }

  private void throttled(String code, Optional<Duration> retryAfter, long pace) {
    throttledCalls.incrementAndGet();
    refused.count();
    synchronized (this) {
      if (pace == cuts) {
        refusedSinceCut++;
      }
    }
    boolean limited = showsLimit();
    slowDown(code, retryAfter, limited);
    followers.forEach(lane -> lane.slowDown(code + " on " + name, retryAfter, limited));
  }

  /**
   * Whether the recent 429s say the pace is over a limit rather than being scattered refusals. In
   * slow start the first 429 says it: the rate has been doubling past whatever the bucket hid.
   */
  private synchronized boolean showsLimit() {
    Answers fleet = fleetAnswers();
    int no = fleet.refused();
    return no > 0
        && (slowStart || (no >= LIMIT_REFUSALS && no >= LIMIT_SHARE * (no + fleet.taken())));
  }

  /**
   * Holding this. This worker's answers over the window plus the other workers' latest: one worker
   * sees only its part of the fleet's calls, too few to tell a limit from scattered 429s soon.
   */
  private Answers fleetAnswers() {
    return new Answers(accepted.total(), refused.total()).plus(othersAnswers);
  }

  /**
   * Whether the answers of a window that ended at {@code end} were all given after the last cut:
   * earlier 429s describe a pace the fleet already left, and counting them again would cut twice
   * for one overshoot.
   */
  public synchronized boolean windowFollowsLastCut(Instant end) {
    return cutAt == null || !end.minusNanos(RecentCount.WINDOW_NANOS).isBefore(cutAt);
  }

  /** This worker's answers over the recent window, for the fleet's sum. */
  public Answers answers() {
    return new Answers(accepted.total(), refused.total());
  }

  /**
   * Lanes that slow down with this one: when the gateway counts queries and creations against one
   * limit, a 429 on a query makes room for polls by slowing creations.
   */
  void alsoSlows(List<Lane> lanes) {
    followers = List.copyOf(lanes);
  }

  private void slowDown(String code, Optional<Duration> retryAfter, boolean limited) {
    LaneState changed = null;
    synchronized (this) {
      Instant now = clock.instant();
      // A wait shorter than a second is the upstream's bucket growing its next token: the call
      // waits its turn at the lane's pace anyway, and pausing the lane until that very instant
      // would send every worker's next call at once, to be refused again but one. A longer wait
      // pauses the lane for the whole fleet.
      boolean cooled = false;
      if (retryAfter.isPresent() && retryAfter.get().compareTo(SHARED_COOLDOWN) >= 0) {
        Instant until = now.plus(retryAfter.get());
        if (coolUntil == null || until.isAfter(coolUntil)) {
          coolUntil = until;
          cooled = true;
          applyLocally();
        }
      }
      boolean held = cutAt != null && now.isBefore(cutAt.plus(CUT_HOLD));
      boolean cut = limited && settings.adaptive() && (!held || farOverSinceCut());
      if (cut) {
        double before = fleetRate;
        Answers seen = held ? new Answers(takenSinceCut, refusedSinceCut) : fleetAnswers();
        fleetRate = Math.max(MIN_RATE, held ? fleetRate * (1 - refusedShare(seen)) : cutRate());
        log.info(
            "{}: the fleet's rate cut from {}/s to {}/s on 429 {} ({} of {} recent answers refused)",
            name,
            String.format("%.2f", before),
            String.format("%.2f", fleetRate),
            code,
            seen.refused(),
            seen.refused() + seen.taken());
        rateAtCut = fleetRate;
        slowStart = false;
        cutAt = now;
        rateSetAt = now;
        newPace();
      }
      if (cut || cooled) {
        applyLocally();
        changed = state(now, "429 " + code);
      }
    }
    if (changed != null) {
      fleet.laneChanged(changed);
    }
  }

  /**
   * Holding this. Where a 429 puts the rate. Over a token bucket the upstream takes calls at its
   * limit and refuses the rest, so the share refused lately tells how far over the pace is: the
   * rate goes to what was taken, times the cut factor to drain what piled up. Out of slow start it
   * goes no higher than the rate before the last doubling, which was not refused. A handful of
   * answers says little: then no cut is deeper than half. On a lane not limited yet: a share of the
   * rate calls were made at.
   */
  private double cutRate() {
    double share = refusedShare(fleetAnswers());
    if (slowStart) {
      return Math.min(fleetRate / 2, fleetRate * (1 - share));
    }
    if (fleetRate > 0) {
      return fleetRate * (1 - share) * settings.cutFactor();
    }
    double made = starts.perSecond() * workers;
    return (made > 0 ? made : settings.initialCreatesPerSecond()) * settings.cutFactor();
  }

  /** Holding this. A cut set a new pace: the answers since the last one start again. */
  private void newPace() {
    cuts++;
    takenSinceCut = 0;
    refusedSinceCut = 0;
  }

  /** The share of {@code answers} refused, counted as of {@link #FEW_ANSWERS} more. */
  private static double refusedShare(Answers answers) {
    return (double) answers.refused() / (answers.refused() + answers.taken() + FEW_ANSWERS);
  }

  /**
   * Holding this. Whether this worker's answers since the last cut were mostly refused: the cut
   * left the pace far over the limit. The first few answers after a cut meet a bucket the pace
   * before it emptied, so they alone tell nothing.
   */
  private boolean farOverSinceCut() {
    int answers = refusedSinceCut + takenSinceCut;
    return answers >= FEW_ANSWERS && refusedSinceCut >= FAR_OVER_SHARE * answers;
  }

  /**
   * Once a second: with its part used and no 429 lately, the raising worker raises the fleet's
   * rate.
   */
  void tick() {
    LaneState changed = null;
    synchronized (this) {
      Instant now = clock.instant();
      // Quiet: no cut within its hold, and the recent 429s show no limit (a raise during a lasting
      // overshoot would undo the cuts, while scattered 429s say nothing about the pace).
      boolean quiet = (cutAt == null || !now.isBefore(cutAt.plus(CUT_HOLD))) && !showsLimit();
      if (!settings.adaptive() || fleetRate <= 0 || !quiet || !usedItsPart() || !raises) {
        return;
      }
      double next = slowStart ? fleetRate * 2 : fleetRate + raise(now);
      if (ceiling > 0) {
        next = Math.min(next, ceiling);
      }
      if (next <= fleetRate) {
        return;
      }
      log.debug(
          "{}: the fleet's rate raised from {}/s to {}/s ({})",
          name,
          String.format("%.2f", fleetRate),
          String.format("%.2f", next),
          slowStart ? "slow start" : "no 429 lately");
      fleetRate = next;
      rateSetAt = now;
      applyLocally();
      changed = state(now, slowStart ? "slow start" : "no 429 lately");
    }
    fleet.laneChanged(changed);
  }

  /**
   * Holding this. An additive raise: a share of the rate the last cut set, so the fleet creeps back
   * over a bucket's limit and the bucket, not the fleet, absorbs the difference; doubled for every
   * {@link #PROBE_DOUBLING} since that cut, to find a limit that went up.
   */
  private double raise(Instant now) {
    double base = rateAtCut > 0 ? rateAtCut : fleetRate;
    long sinceCut = cutAt == null ? 0 : Duration.between(cutAt, now).toSeconds();
    double probing = Math.pow(2, Math.min(10, sinceCut / PROBE_DOUBLING.toSeconds()));
    return Math.max(MIN_RATE / 2, base * settings.increasePerSecond() * probing);
  }

  /** A worker's breaker opened on this route: the fleet keeps off it until {@code until}. */
  void down(Instant until, String reason) {
    LaneState changed;
    synchronized (this) {
      downUntil = until;
      downSetAt = clock.instant();
      changed = state(downSetAt, reason);
    }
    fleet.laneChanged(changed);
  }

  /** The breaker that opened closed again: the route is back for the fleet. */
  void up(String reason) {
    LaneState changed;
    synchronized (this) {
      if (downUntil == null) {
        return;
      }
      downUntil = null;
      downSetAt = clock.instant();
      changed = state(downSetAt, reason);
    }
    fleet.laneChanged(changed);
  }

  /** A record from the route-health topic (any worker's, this one's included). */
  public synchronized void adopt(LaneState state) {
    if (state.rateSetAt() != null && state.rateSetAt().isAfter(rateSetAt)) {
      fleetRate = state.ratePerSecond();
      slowStart = state.slowStart();
      if (state.cutAt() != null && !state.cutAt().equals(cutAt)) {
        rateAtCut = fleetRate;
        newPace();
      }
      cutAt = state.cutAt();
      rateSetAt = state.rateSetAt();
    }
    if (state.downSetAt() != null && state.downSetAt().isAfter(downSetAt)) {
      downUntil = state.downUntil();
      downSetAt = state.downSetAt();
    }
    if (state.coolUntil() != null && (coolUntil == null || state.coolUntil().isAfter(coolUntil))) {
      coolUntil = state.coolUntil();
    }
    applyLocally();
  }

  /**
   * {@code n} live workers, this one counted, have work on the lane: this one takes 1/n of the
   * rate; {@code raises}: this worker is the one of them that raises it (one raiser, so raises
   * don't add up).
   */
  public synchronized void share(int n, boolean raises, Answers others) {
    this.raises = raises;
    this.othersAnswers = others;
    int workers = Math.max(1, n);
    if (workers != this.workers) {
      this.workers = workers;
      applyLocally();
    }
  }

  /** Whether a worker of the fleet saw the route down, and the time for it has not passed. */
  public synchronized boolean isDown() {
    return downUntil != null && clock.instant().isBefore(downUntil);
  }

  public synchronized LaneView view() {
    Instant now = clock.instant();
    return new LaneView(
        name,
        fleetRate,
        fleetRate / workers,
        throttledCalls.get(),
        coolUntil != null && coolUntil.isAfter(now) ? coolUntil : null,
        downUntil != null && downUntil.isAfter(now) ? downUntil : null,
        pacer.waiting());
  }

  /** 429s answered on this lane so far. */
  public long throttledCalls() {
    return throttledCalls.get();
  }

  /**
   * Whether this worker made calls at about its part of the rate lately: raising a pace nobody
   * reaches learns nothing, and a rate grown that way lets a burst through the moment work arrives.
   */
  private synchronized boolean usedItsPart() {
    return starts.perSecond() >= 0.8 * (fleetRate / workers);
  }

  private LaneState state(Instant now, String reason) {
    return new LaneState(
        name,
        fleetRate,
        slowStart,
        coolUntil,
        downUntil,
        cutAt,
        rateSetAt == Instant.MIN ? null : rateSetAt,
        downSetAt == Instant.MIN ? null : downSetAt,
        workerId,
        reason,
        now);
  }

  /** Holding this. */
  private void applyLocally() {
    pacer.rate(fleetRate > 0 ? fleetRate / workers : 0);
    if (coolUntil != null) {
      Duration left = Duration.between(clock.instant(), coolUntil);
      if (!left.isNegative()) {
        pacer.coolUntil(nanoTime.getAsLong() + left.toNanos());
      }
    }
  }

  /**
   * What a lane is doing now, for metrics, {@code /status} and heartbeats.
   *
   * @param fleetRate the fleet's rate, 0 when not limited
   * @param localRate this worker's part of it
   * @param throttled 429s this worker was answered on the lane
   * @param coolingUntil paused by a {@code Retry-After} until then, or null
   * @param downUntil the route is down until then, or null
   * @param waiting calls waiting for their turn
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LaneView(
      String lane,
      double fleetRate,
      double localRate,
      long throttled,
      Instant coolingUntil,
      Instant downUntil,
      int waiting) {}
}
