package io.imagefleet.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The whole configuration of one worker: immutable, loaded once by {@link ConfigLoader} and
 * validated at start so a bad value stops the worker with a message that names the key.
 *
 * @param workerId identifies this instance on events and dead letters (host name by default)
 * @param routes ordered from cheapest to most expensive; a job's own route goes first
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
    RateSettings rates,
    OutageSettings outage,
    StorageSettings storage,
    OpsSettings ops,
    CostSettings costs,
    CallbackSettings callbacks,
    BudgetSettings budgets,
    CompressionSettings compression,
    TenantSettings tenants,
    ControlSettings control,
    TracingSettings tracing) {

  static final Key WORKER_ID = Key.of("worker.id");

  /**
   * Every key with a name of its own, gathered from the settings records that declare them: the
   * environment variables the worker honours, and the rows docs/configuration.md must have.
   */
  static final List<Key> KEYS =
      Stream.of(
              List.of(WORKER_ID),
              KafkaSettings.KEYS,
              TopicNames.KEYS,
              UpstreamSettings.KEYS,
              RouteSettings.KEYS,
              IntakeSettings.KEYS,
              PollingSettings.KEYS,
              RetrySettings.KEYS,
              BreakerSettings.KEYS,
              RateSettings.KEYS,
              OutageSettings.KEYS,
              StorageSettings.KEYS,
              S3Settings.KEYS,
              OpsSettings.KEYS,
              CostSettings.KEYS,
              CallbackSettings.KEYS,
              BudgetSettings.KEYS,
              CompressionSettings.KEYS,
              TenantSettings.KEYS,
              ControlSettings.KEYS,
              TracingSettings.KEYS)
          .flatMap(List::stream)
          .toList();

  /**
   * Every family of keys named after a route index, a tenant, a host or a Kafka property, gathered
   * from the settings records that read them: with {@link #KEYS}, what a known key is.
   */
  static final List<KeyPattern> PATTERNS =
      Stream.of(
              KafkaSettings.PATTERNS,
              RouteSettings.PATTERNS,
              CostSettings.PATTERNS,
              CallbackSettings.PATTERNS,
              BudgetSettings.PATTERNS,
              TenantSettings.PATTERNS)
          .flatMap(List::stream)
          .toList();

  public WorkerConfig {
    Checks.notBlank(WORKER_ID, workerId);
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
    Objects.requireNonNull(rates, "rates");
    Objects.requireNonNull(outage, "outage");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(costs, "costs");
    Objects.requireNonNull(callbacks, "callbacks");
    Objects.requireNonNull(budgets, "budgets");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(tenants, "tenants");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(tracing, "tracing");
  }

  /** Reads every part in this order, so the first bad value found is the one reported. */
  static WorkerConfig from(ConfigReader r) {
    return new WorkerConfig(
        r.optional(WORKER_ID).orElseGet(WorkerConfig::hostName),
        KafkaSettings.from(r),
        TopicNames.from(r),
        UpstreamSettings.from(r),
        RouteSettings.listFrom(r),
        IntakeSettings.from(r),
        PollingSettings.from(r),
        RetrySettings.from(r),
        BreakerSettings.from(r),
        RateSettings.from(r),
        OutageSettings.from(r),
        StorageSettings.from(r),
        OpsSettings.from(r),
        CostSettings.from(r),
        CallbackSettings.from(r),
        BudgetSettings.from(r),
        CompressionSettings.from(r),
        TenantSettings.from(r),
        ControlSettings.from(r),
        TracingSettings.from(r));
  }

  /** The settings of {@code model}, if it is a configured route. */
  public Optional<RouteSettings> route(String model) {
    return routes.stream().filter(r -> r.model().equals(model)).findFirst();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    } catch (UnknownHostException e) {
      return "worker-" + ProcessHandle.current().pid();
    }
  }
}
