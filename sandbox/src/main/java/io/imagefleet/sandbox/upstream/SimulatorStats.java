package io.imagefleet.sandbox.upstream;

import java.util.Map;

/**
 * A snapshot of what the simulator has seen since start or the last reset. Tests assert on it (how
 * many tasks the fleet created, how many retries a fault caused); {@code GET /admin/stats} returns
 * it as JSON.
 *
 * @param tasksCreated tasks created in total
 * @param tasksCreatedByRoute tasks created per model
 * @param tasksCreatedByPrompt tasks created per exact prompt
 * @param createRequests create calls received, whatever their answer
 * @param queryRequests query calls received, whatever their answer
 * @param downloadRequests result downloads received, whatever their answer
 * @param hungRequests calls deliberately never answered
 * @param responsesByStatus answers sent on create, query and download, per HTTP status
 * @param createsRateLimited creates refused 429 by the creation rate limit (its token bucket)
 * @param queriesRateLimited queries refused 429 by the query rate limit
 * @param injectedRateLimitedCreates creates answered 429 by a scripted or random fault, not by the
 *     rate limit
 * @param injectedRateLimitedQueries the same for queries
 * @param maxPollGapMillis the longest a task went unpolled past its estimate, over all tasks: for
 *     each query answered with the task, the time since {@code created + estimated_time} or since
 *     the task's previous answered query, whichever is later (refused queries told the client
 *     nothing, so they do not count as polls)
 * @param maxPollGapUnansweredQueries the queries of that gap's task made during it that a fault
 *     refused or left hanging: none means the client did not ask, some that it asked and was not
 *     answered
 */
public record SimulatorStats(
    long tasksCreated,
    Map<String, Long> tasksCreatedByRoute,
    Map<String, Long> tasksCreatedByPrompt,
    long createRequests,
    long queryRequests,
    long downloadRequests,
    long hungRequests,
    Map<Integer, Long> responsesByStatus,
    long createsRateLimited,
    long queriesRateLimited,
    long injectedRateLimitedCreates,
    long injectedRateLimitedQueries,
    long maxPollGapMillis,
    int maxPollGapUnansweredQueries) {

  public SimulatorStats {
    tasksCreatedByRoute = Map.copyOf(tasksCreatedByRoute);
    tasksCreatedByPrompt = Map.copyOf(tasksCreatedByPrompt);
    responsesByStatus = Map.copyOf(responsesByStatus);
  }

  /** Tasks created for one model (0 if none). */
  public long tasksCreatedForRoute(String model) {
    return tasksCreatedByRoute.getOrDefault(model, 0L);
  }

  /** Tasks created from one exact prompt (0 if none). */
  public long tasksCreatedForPrompt(String prompt) {
    return tasksCreatedByPrompt.getOrDefault(prompt, 0L);
  }

  /** Create and query calls received: the API calls a rate limit counts. */
  public long apiCalls() {
    return createRequests + queryRequests;
  }

  /** Answers sent with one HTTP status (0 if none). */
  public long responses(int status) {
    return responsesByStatus.getOrDefault(status, 0L);
  }
}
