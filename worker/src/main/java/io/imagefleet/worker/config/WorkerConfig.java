package io.imagefleet.worker.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of one worker: immutable, loaded once by {@link ConfigLoader} and
 * validated at start so a bad value stops the worker with a message that names the key.
 *
 * @param workerId identifies this instance on events and dead letters (host name by default)
 * @param routes   ordered from cheapest to most expensive; a job's own route goes first
 */
public record WorkerConfig(
    String workerId,
    KafkaSettings kafka,
    TopicNames topics,
    UpstreamSettings upstream,
    List<RouteSettings> routes,
    IntakeSettings intake,
    PollingSettings polling,
    RetrySettings retry,
    BreakerSettings breaker,
    OutageSettings outage,
    StorageSettings storage,
    OpsSettings ops,
    CostSettings costs,
    CallbackSettings callbacks,
    BudgetSettings budgets) {

  public WorkerConfig {
    Checks.notBlank("worker.id", workerId);
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(upstream, "upstream");
    routes = List.copyOf(routes);
    if (routes.isEmpty()) {
      throw new ConfigException("routes must name at least one route, but was empty");
    }
    Objects.requireNonNull(intake, "intake");
    Objects.requireNonNull(polling, "polling");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(outage, "outage");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(costs, "costs");
    Objects.requireNonNull(callbacks, "callbacks");
    Objects.requireNonNull(budgets, "budgets");
  }

  /** The settings of {@code model}, if it is a configured route. */
  public java.util.Optional<RouteSettings> route(String model) {
    return routes.stream().filter(r -> r.model().equals(model)).findFirst();
  }
}
