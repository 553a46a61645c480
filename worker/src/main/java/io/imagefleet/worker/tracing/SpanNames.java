package io.imagefleet.worker.tracing;

/**
 * The names of the spans a job's trace holds. They are part of what operators and downstream teams
 * build dashboards and queries on (docs/tracing.md lists them): renaming one is a breaking change.
 */
public final class SpanNames {
  /** Validation, cost ceiling and budget reservation of a job record, up to its first step. */
  public static final String ADMIT = "job.admit";

  /** One task creation call to the upstream (each retry is a span of its own). */
  public static final String UPSTREAM_CREATE = "upstream.create";

  /** One query of a task's progress. */
  public static final String UPSTREAM_POLL = "upstream.poll";

  /** One download of a result image, with its verification; never carries the image's link. */
  public static final String IMAGE_DOWNLOAD = "image.download";

  /** Saving one verified image to the image store. */
  public static final String IMAGE_STORE = "image.store";

  /** The Kafka transaction that made the job's terminal event durable. */
  public static final String JOB_COMMIT = "job.commit";

  /** One HTTP attempt to deliver the job's callback. */
  public static final String CALLBACK_SEND = "callback.send";

  private SpanNames() {}
}
