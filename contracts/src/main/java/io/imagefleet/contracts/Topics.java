package io.imagefleet.contracts;

/** Default topic names. Every one can be changed in configuration. */
public final class Topics {
  /** Job requests; key = job id. */
  public static final String JOBS = "imagefleet.jobs.v1";

  /** Status events; key = job id. */
  public static final String JOB_EVENTS = "imagefleet.job-events.v1";

  /**
   * Internal to the fleet: each job's latest state (task accepted, job ended), compacted, key = job
   * id, same partition count as the jobs topic. Not a contract for other teams.
   */
  public static final String JOB_STATE = "imagefleet.job-state.v1";

  /** Records the worker could not decode or handle; key = the original key. */
  public static final String DEAD_LETTERS = "imagefleet.jobs.v1.dlq";

  /** Outcomes of callback deliveries ({@link CallbackDelivery}); key = job id. */
  public static final String CALLBACKS = "imagefleet.callbacks.v1";

  /**
   * Internal to the fleet: callbacks owed and how far their delivery got, compacted with a
   * retention, key = the delivery's {@code webhook-id} (the event id). Not a contract for other
   * teams; {@code imagefleet callbacks} reads it.
   */
  public static final String CALLBACKS_OWED = "imagefleet.callbacks-owed.v1";

  /** The fleet's internal budget ledger (reservations and settlements); key = tenant. */
  public static final String BUDGETS = "imagefleet.budgets.v1";

  /**
   * Worker heartbeats for {@code imagefleet status}; compacted, key = worker id, value = the
   * worker's status JSON.
   */
  public static final String WORKERS = "imagefleet.workers.v1";

  /**
   * Internal to the fleet: what workers learn about each route (its fleet-wide rate, a {@code
   * Retry-After} cooldown, a route down) and whether spending is stopped; compacted, one partition,
   * key = lane ({@code create:<model>}, {@code query}) or {@code spending}.
   */
  public static final String ROUTE_HEALTH = "imagefleet.route-health.v1";

  /**
   * Cancel requests ({@link CancelRequest}); key = the job id for one job, else the tenant. Every
   * worker reads it whole, outside any consumer group. A tenant's own control topic is this name
   * followed by {@code .<tenant>}, so Kafka's prefixed ACLs decide who may cancel whose jobs.
   */
  public static final String JOB_CONTROL = "imagefleet.job-control.v1";

  /**
   * What operators did from {@code imagefleet console} (a dead letter redriven, a job cancelled),
   * one JSON record per action with who, what, the target, the result and when; key = the target.
   * An audit log: nothing in the fleet acts on it.
   */
  public static final String CONSOLE_ACTIONS = "imagefleet.console-actions.v1";

  private Topics() {}
}
