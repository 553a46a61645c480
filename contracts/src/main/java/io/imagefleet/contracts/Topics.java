package io.imagefleet.contracts;

/** Default topic names. Every one can be changed in configuration. */
public final class Topics {
  /** Job requests; key = job id. */
  public static final String JOBS = "imagefleet.jobs.v1";
  /** Status events; key = job id. */
  public static final String JOB_EVENTS = "imagefleet.job-events.v1";
  /** Records the worker could not decode or handle; key = the original key. */
  public static final String DEAD_LETTERS = "imagefleet.jobs.v1.dlq";

  private Topics() {}
}
