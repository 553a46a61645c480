package io.imagefleet.worker.upstream;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the gateway, once and for free, whether it takes the configured API key: a query of a task
 * that cannot exist. The gateway checks the key before it looks for the task, so an accepted key
 * gets 404 {@code task_not_found} (or 400 for an id it finds malformed), a refused one 401 or 403.
 * Nothing is created and nothing is billed.
 */
public final class ApiKeyCheck {
  /** Well formed (the gateway's {@code task-unified-<epoch>-<suffix>}), and never issued. */
  static final String NO_SUCH_TASK = "task-unified-0-imagefleetkeycheck";

  private ApiKeyCheck() {}

  /**
   * Completes with why the gateway refuses the key, or empty when it takes it or cannot tell now
   * (unreachable, overloaded, rate limited): then the jobs themselves find out, as they always
   * have.
   */
  public static CompletableFuture<Optional<String>> refusal(UpstreamClient upstream) {
    return upstream.query(NO_SUCH_TASK).thenApply(ApiKeyCheck::refusalOf);
  }

  static Optional<String> refusalOf(UpstreamOutcome<UpstreamTask> outcome) {
    if (outcome instanceof UpstreamOutcome.Failure<UpstreamTask> f
        && (f.httpStatus() == 401 || f.httpStatus() == 403)) {
      return Optional.of(
          "the upstream refuses the API key (HTTP "
              + f.httpStatus()
              + " "
              + f.code()
              + "): taking no jobs until it accepts one; check upstream.api-key or"
              + " upstream.api-key-file (env IMAGEFLEET_UPSTREAM_API_KEY) and restart");
    }
    return Optional.empty();
  }
}
