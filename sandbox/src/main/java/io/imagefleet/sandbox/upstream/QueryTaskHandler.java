package io.imagefleet.sandbox.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /v1/tasks/{id}}: answers the task as it stands now, computed from the clock (see
 * {@link SimTask}); malformed ids are 400 {@code invalid_task_id}, unknown ones 404 {@code
 * task_not_found}; scripted and random query faults apply to known tasks.
 */
final class QueryTaskHandler {

  static final String PREFIX = "/v1/tasks/";

  private final ApiKeyCheck apiKey;
  private final Supplier<SimulatorKnobs> knobs;
  private final RateLimits limits;
  private final FaultInjector faults;
  private final Chance chance;
  private final TaskStore store;
  private final TaskJson taskJson;
  private final StatsCounters stats;
  private final Replies replies;
  private final Clock clock;

  QueryTaskHandler(
      ApiKeyCheck apiKey,
      Supplier<SimulatorKnobs> knobs,
      RateLimits limits,
      FaultInjector faults,
      Chance chance,
      TaskStore store,
      TaskJson taskJson,
      StatsCounters stats,
      Replies replies,
      Clock clock) {
    this.apiKey = apiKey;
    this.knobs = knobs;
    this.limits = limits;
    this.faults = faults;
    this.chance = chance;
    this.store = store;
    this.taskJson = taskJson;
    this.stats = stats;
    this.replies = replies;
    this.clock = clock;
  }

  void handle(HttpExchange exchange) {
    stats.queryRequest();
    SimulatorKnobs now = knobs.get();
    Duration delay = chance.sample(now.queryLatency());
    try {
      query(exchange, now, delay);
    } catch (RejectedRequestException e) {
      replies.error(exchange, e.error(), delay);
    }
  }

  private void query(HttpExchange exchange, SimulatorKnobs now, Duration delay) {
    if (!apiKey.accepts(exchange)) {
      throw new RejectedRequestException(ApiKeyCheck.UNAUTHORIZED);
    }
    String id = exchange.getRequestURI().getPath().substring(PREFIX.length());
    Optional<Duration> limited = limits.tryQuery(now);
    if (limited.isPresent()) {
      stats.queryRateLimited();
      if (TaskStore.isWellFormedId(id)) {
        store.find(id).ifPresent(SimTask::unansweredQuery);
      }
      throw new RejectedRequestException(ApiError.rateLimited(limited.get()));
    }
    if (!TaskStore.isWellFormedId(id)) {
      throw new RejectedRequestException(
          ApiError.of(400, "invalid_task_id", "'" + id + "' is not a valid task id.")
              .withParam("task_id"));
    }
    SimTask task =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new RejectedRequestException(
                        ApiError.of(404, "task_not_found", "No task with id '" + id + "'.")
                            .withParam("task_id")));
    Optional<FaultInjector.Fault> fault = faults.forQuery(task, now.queryFaults());
    if (fault.isPresent()) {
      task.unansweredQuery();
      if (fault.get().kind() == FaultKind.HANG) {
        replies.hang(exchange);
        return;
      }
      if (fault.get().kind() == FaultKind.RATE_LIMITED) {
        stats.queryFaultRateLimited();
      }
      ApiError error = ApiError.fault(fault.get().kind(), fault.get().retryAfterSeconds());
      // On a query, the gateway's 402 code is quota_exceeded (create says insufficient_quota).
      throw new RejectedRequestException(
          error.status() == 402 ? error.withCode("quota_exceeded") : error);
    }
    Instant answeredAt = clock.instant();
    stats.pollGap(task.answeredQuery(answeredAt), task.takeUnansweredQueries());
    replies.json(exchange, 200, taskJson.render(task, task.stateAt(answeredAt)), delay);
  }
}
