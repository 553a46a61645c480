package io.imagefleet.sandbox.upstream;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One generation task. Holds only what was decided at creation (start, planned duration, outcome);
 * status and progress are computed from the clock on each query ({@link #stateAt(Instant)}), so
 * there is no timer per task and ten thousand live tasks cost a map entry each.
 *
 * <p>Lifecycle: {@code pending} for the first {@value #PENDING_PERCENT}% of the planned duration,
 * then {@code processing} with progress rising linearly from 1 to 99, then {@code completed}
 * (progress 100) or {@code failed} (progress stays where it stopped) once the planned duration has
 * passed.
 *
 * <p>Immutable apart from the query counter used by scripted query faults and the time of the last
 * answered query (both thread-safe).
 */
final class SimTask {

  static final int PENDING_PERCENT = 10;

  private final String id;
  private final Instant createdAt;
  private final CreateRequest request;
  private final Duration planned;
  private final Optional<String> failCode;
  private final Optional<ScriptedFault> queryFault;
  private final TokenUsage usage;
  private final BigDecimal creditsReserved;
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicReference<Instant> lastAnswered = new AtomicReference<>(Instant.MIN);

  /** Queries of this task refused or left hanging since it was last answered. */
  private final AtomicInteger unansweredQueries = new AtomicInteger();

  SimTask(
      String id,
      Instant createdAt,
      CreateRequest request,
      SimModel model,
      Duration planned,
      Optional<String> failCode,
      Optional<ScriptedFault> queryFault,
      double creditsPerUsd) {
    this.id = id;
    this.createdAt = createdAt;
    this.request = request;
    this.planned = planned;
    this.failCode = failCode;
    this.queryFault = queryFault;
    this.usage =
        UsagePricing.usage(
            request.prompt(),
            request.imageUrls().size(),
            request.quality(),
            request.size(),
            request.n());
    this.creditsReserved =
        UsagePricing.creditsReserved(model.costUsd(usage, request.n()), creditsPerUsd);
  }

  TaskState stateAt(Instant now) {
    long elapsed = Math.max(0, Duration.between(createdAt, now).toMillis());
    long total = planned.toMillis();
    if (elapsed >= total) {
      return failCode.isPresent()
          ? new TaskState(TaskState.FAILED, total == 0 ? 0 : 99)
          : new TaskState(TaskState.COMPLETED, 100);
    }
    if (elapsed * 100 < total * PENDING_PERCENT) {
      return TaskState.INITIAL;
    }
    int progress = (int) Math.min(99, Math.max(1, elapsed * 100 / total));
    return new TaskState(TaskState.PROCESSING, progress);
  }

  /** Counts one query; true while the scripted query fault still applies to it. */
  boolean takeScriptedQueryFault() {
    return queryFault.isPresent() && queries.incrementAndGet() <= queryFault.get().times();
  }

  /** Records a query of this task refused (a fault, the query limit) or left hanging. */
  void unansweredQuery() {
    unansweredQueries.incrementAndGet();
  }

  /** The queries {@link #unansweredQuery} recorded since the last call; starts counting again. */
  int takeUnansweredQueries() {
    return unansweredQueries.getAndSet(0);
  }

  /**
   * Records a query answered with this task at {@code now}; returns how long the task had gone
   * unpolled past its estimate: since {@code created + estimated_time} or since the previous
   * answered query, whichever is later (zero when polled within its estimate). A client that keeps
   * paid tasks waiting for their poll shows here, whatever it does with creations.
   */
  Duration answeredQuery(Instant now) {
    Instant previous = lastAnswered.getAndAccumulate(now, (a, b) -> a.isAfter(b) ? a : b);
    Instant estimated = createdAt.plusSeconds(estimatedSeconds());
    Instant since = previous.isAfter(estimated) ? previous : estimated;
    return now.isAfter(since) ? Duration.between(since, now) : Duration.ZERO;
  }

  /** {@code task_info.estimated_time}: the planned duration in whole seconds, rounded up. */
  long estimatedSeconds() {
    long millis = planned.toMillis();
    return (millis + 999) / 1_000;
  }

  String id() {
    return id;
  }

  Instant createdAt() {
    return createdAt;
  }

  CreateRequest request() {
    return request;
  }

  Duration planned() {
    return planned;
  }

  Optional<String> failCode() {
    return failCode;
  }

  Optional<ScriptedFault> queryFault() {
    return queryFault;
  }

  TokenUsage usage() {
    return usage;
  }

  BigDecimal creditsReserved() {
    return creditsReserved;
  }
}
