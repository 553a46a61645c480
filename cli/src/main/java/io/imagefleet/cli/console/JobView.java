package io.imagefleet.cli.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The newest jobs seen on the events topic, each with its timeline: at most {@code maxJobs} jobs
 * (the job whose last event is oldest leaves first) of at most {@link #MAX_EVENTS_PER_JOB} events
 * each, so its memory is bounded however long the console runs.
 *
 * <p>Written by the feed thread, read by the HTTP threads: every method holds this object's lock,
 * and what leaves it is immutable. A job is identified by (tenant, job id), as in the fleet.
 *
 * <p>What the upstream handed out is never kept: images are kept without their temporary {@code
 * source_url}, so no answer of the console can expose it.
 */
final class JobView {
  /**
   * A job polled for minutes has hundreds of progress events; its first and latest ones tell it.
   */
  static final int MAX_EVENTS_PER_JOB = 64;

  private final int maxJobs;

  /** In order of the last event: the eldest is the one to forget. */
  private final LinkedHashMap<JobKey, Job> jobs = new LinkedHashMap<>();

  /**
   * Pairs of routes a job moved between; routes are any producer's strings, so only so many pairs
   * are counted.
   */
  static final int MAX_MOVES = 200;

  private final Map<Move, Integer> moves = new TreeMap<>();

  /** A pair of routes a job moved between, in the order the page lists them. */
  private record Move(String from, String to) implements Comparable<Move> {
    private static final Comparator<Move> ORDER =
        Comparator.comparing(Move::from).thenComparing(Move::to);

    @Override
    public int compareTo(Move other) {
      return ORDER.compare(this, other);
    }
  }

  JobView(int maxJobs) {
    if (maxJobs <= 0) {
      throw new IllegalArgumentException("maxJobs must be > 0, but was " + maxJobs);
    }
    this.maxJobs = maxJobs;
  }

  record JobKey(String tenant, String jobId) {
    JobKey {
      tenant = tenant == null ? "" : tenant;
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  /** An image as the console shows it: no location, no upstream link. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ImageRef(int index, int width, int height, long bytes, String contentType) {}

  /** One line of a job's list. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JobSummary(
      String tenant,
      String jobId,
      JobStatus status,
      int attempt,
      String route,
      Integer progress,
      BigDecimal costUsd,
      BigDecimal estimatedCostUsd,
      String workerId,
      String errorCode,
      Instant firstSeenAt,
      Instant updatedAt,
      List<ImageRef> images) {}

  /** One event of a job's timeline, without what the upstream handed out. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TimelineEntry(
      JobStatus status,
      int attempt,
      Instant occurredAt,
      String route,
      String routeReason,
      String upstreamTaskId,
      Integer progress,
      BigDecimal costUsd,
      BigDecimal estimatedCostUsd,
      Integer upstreamCalls,
      String errorCode,
      String errorMessage,
      String workerId,
      int images) {
    static TimelineEntry of(StatusEvent e) {
      return new TimelineEntry(
          e.status(),
          e.attempt(),
          e.occurredAt(),
          e.route(),
          e.routeReason(),
          e.upstreamTaskId(),
          e.progress(),
          e.costUsd(),
          e.estimatedCostUsd(),
          e.upstreamCalls(),
          e.error() == null ? null : e.error().code(),
          e.error() == null ? null : e.error().message(),
          e.workerId(),
          e.images().size());
    }
  }

  /** A job and its timeline, oldest event first; {@code eventsLeftOut} were dropped between. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record JobDetail(JobSummary job, List<TimelineEntry> timeline, int eventsLeftOut) {}

  /** Jobs that moved from one route to another within an attempt, in the window: a fallback. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record RouteMove(String from, String to, int jobs) {}

  /** Takes one event in; answers the job's summary as it stands now. */
  synchronized JobSummary apply(StatusEvent event) {
    JobKey key = new JobKey(event.tenant(), event.jobId());
    // Removed and put back, so that the map's order stays the order of last events.
    Job job = jobs.remove(key);
    if (job == null) {
      job = new Job(key);
    }
    String routeBefore = job.route;
    int attemptBefore = job.attempt;
    job.add(event);
    if (routeBefore != null
        && job.attempt == attemptBefore
        && !routeBefore.equals(job.route)
        && (moves.containsKey(new Move(routeBefore, job.route)) || moves.size() < MAX_MOVES)) {
      moves.merge(new Move(routeBefore, job.route), 1, Integer::sum);
    }
    jobs.put(key, job);
    Iterator<Job> eldest = jobs.values().iterator();
    while (jobs.size() > maxJobs) {
      eldest.next();
      eldest.remove();
    }
    return job.summary();
  }

  /**
   * The newest jobs first (by their last event), at most {@code limit}, that {@code filter} keeps.
   */
  synchronized List<JobSummary> list(JobFilter filter, int limit) {
    List<Job> oldestFirst = new ArrayList<>(jobs.values());
    List<JobSummary> newestFirst = new ArrayList<>(Math.min(limit, oldestFirst.size()));
    for (int i = oldestFirst.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
      JobSummary job = oldestFirst.get(i).summary();
      if (filter.matches(job)) {
        newestFirst.add(job);
      }
    }
    return newestFirst;
  }

  /** Fallbacks seen since the console started, by the routes they left and took. */
  synchronized List<RouteMove> moves() {
    List<RouteMove> all = new ArrayList<>(moves.size());
    moves.forEach((move, n) -> all.add(new RouteMove(move.from(), move.to(), n)));
    return all;
  }

  synchronized Optional<JobDetail> detail(JobKey key) {
    Job job = jobs.get(key);
    return job == null
        ? Optional.empty()
        : Optional.of(
            new JobDetail(
                job.summary(),
                job.events.stream().map(TimelineEntry::of).toList(),
                job.eventsLeftOut));
  }

  /** Where image {@code index} of the job's success is stored, as its event says. */
  synchronized Optional<String> imageLocation(JobKey key, int index) {
    Job job = jobs.get(key);
    if (job == null) {
      return Optional.empty();
    }
    return job.images.stream()
        .filter(i -> i.index() == index)
        .map(StoredImage::location)
        .findFirst();
  }

  synchronized int size() {
    return jobs.size();
  }

  /** One job's state. Changed only under the view's lock. */
  private static final class Job {
    final JobKey key;
    final Deque<StatusEvent> events = new ArrayDeque<>();
    int eventsLeftOut;
    JobStatus status;
    int attempt;
    String route;
    Integer progress;
    BigDecimal costUsd;
    BigDecimal estimatedCostUsd;
    String workerId;
    String errorCode;
    Instant firstSeenAt;
    Instant updatedAt;
    List<StoredImage> images = List.of();

    Job(JobKey key) {
      this.key = key;
    }

    void add(StatusEvent e) {
      if (events.size() == MAX_EVENTS_PER_JOB) {
        // Keeps the first event (how the job began) and the newest ones.
        StatusEvent first = events.pollFirst();
        events.pollFirst();
        events.addFirst(first);
        eventsLeftOut++;
      }
      events.addLast(e);
      if (firstSeenAt == null || e.occurredAt().isBefore(firstSeenAt)) {
        firstSeenAt = e.occurredAt();
      }
      // A DUPLICATE answers a repeated record; an older attempt's late event changes nothing.
      if (e.status() == JobStatus.DUPLICATE || e.attempt() < attempt) {
        return;
      }
      if (e.attempt() > attempt) {
        costUsd = null;
        errorCode = null;
        images = List.of();
        progress = null;
      }
      attempt = e.attempt();
      status = e.status();
      updatedAt = e.occurredAt();
      route = e.route() == null ? route : e.route();
      progress = e.progress() == null ? progress : e.progress();
      workerId = e.workerId() == null ? workerId : e.workerId();
      estimatedCostUsd = e.estimatedCostUsd() == null ? estimatedCostUsd : e.estimatedCostUsd();
      costUsd = e.costUsd() == null ? costUsd : e.costUsd();
      errorCode = e.error() == null ? errorCode : e.error().code();
      if (!e.images().isEmpty()) {
        images = e.images();
      }
    }

    JobSummary summary() {
      return new JobSummary(
          key.tenant(),
          key.jobId(),
          status == null ? JobStatus.DUPLICATE : status,
          attempt,
          route,
          progress,
          costUsd,
          estimatedCostUsd,
          workerId,
          errorCode,
          firstSeenAt,
          updatedAt == null ? firstSeenAt : updatedAt,
          images.stream()
              .map(i -> new ImageRef(i.index(), i.width(), i.height(), i.bytes(), i.contentType()))
              .toList());
    }
  }
}
