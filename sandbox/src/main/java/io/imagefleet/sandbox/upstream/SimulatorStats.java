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
 */
public record SimulatorStats(
    long tasksCreated,
    Map<String, Long> tasksCreatedByRoute,
    Map<String, Long> tasksCreatedByPrompt,
    long createRequests,
    long queryRequests,
    long downloadRequests,
    long hungRequests,
    Map<Integer, Long> responsesByStatus) {

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

  /** Answers sent with one HTTP status (0 if none). */
  public long responses(int status) {
    return responsesByStatus.getOrDefault(status, 0L);
  }
}
