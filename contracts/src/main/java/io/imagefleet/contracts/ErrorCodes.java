package io.imagefleet.contracts;

/**
 * Error codes the fleet itself sets on FAILED events. Upstream task error codes ({@code
 * content_policy_violation}, {@code generation_timeout}, ...) are passed through as is.
 */
public final class ErrorCodes {
  /** The job broke validation rules; {@code field_errors} lists each one. */
  public static final String INVALID_JOB = "invalid_job";

  /** The upstream rejected the API key. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** The account has no credit left. */
  public static final String INSUFFICIENT_QUOTA = "insufficient_quota";

  /** Transient upstream trouble outlasted every retry and every allowed route. */
  public static final String UPSTREAM_UNAVAILABLE = "upstream_unavailable";

  /** A generated image could not be downloaded or failed verification. */
  public static final String IMAGE_DOWNLOAD_FAILED = "image_download_failed";

  /** A generated image could not be stored. */
  public static final String STORAGE_FAILED = "storage_failed";

  /**
   * The record's Kafka key is not its {@code job_id} (or it has none). The key decides the
   * partition, and so which worker knows the job's state: a job under another key could run, and be
   * paid, twice. Nothing was run; publish the job again with its job id as key.
   */
  public static final String KEY_MISMATCH = "key_mismatch";

  /** On a DUPLICATE event: the record repeats a job attempt that already ended; nothing was run. */
  public static final String DUPLICATE_JOB = "duplicate_job";

  /** The job's estimated cost is above its own ceiling. */
  public static final String COST_CEILING_EXCEEDED = "cost_ceiling_exceeded";

  /** The job would take its tenant over the configured budget. */
  public static final String BUDGET_EXCEEDED = "budget_exceeded";

  /**
   * The tenant's budget could not be checked in time (its ledger was unreachable); nothing was
   * spent.
   */
  public static final String BUDGET_UNAVAILABLE = "budget_unavailable";

  /**
   * A task creation's answer never arrived (or its worker crashed mid-call), and the fleet is set
   * to fail such jobs rather than risk paying twice ({@code upstream.unconfirmed-submission:
   * fail}).
   */
  public static final String SUBMISSION_UNCONFIRMED = "submission_unconfirmed";

  /**
   * The upstream completed the task but its results cannot be used: not exactly {@code n} result
   * links, a link that is not an http(s) URL with a host, or a link whose address is loopback,
   * private, link-local or a cloud metadata service. Nothing is downloaded from such a link.
   */
  public static final String INVALID_UPSTREAM_RESULT = "invalid_upstream_result";

  /**
   * A generated image was larger than the worker downloads ({@code upstream.max-download-bytes}).
   */
  public static final String DOWNLOAD_TOO_LARGE = "download_too_large";

  /**
   * The job came from a tenant's own jobs topic but its {@code tenant} names another tenant. A
   * tenant's topic is written only by that tenant (Kafka ACLs), so the topic decides who the job
   * belongs to; nothing was run or reserved. Publish the job to its tenant's topic.
   */
  public static final String TENANT_MISMATCH = "tenant_mismatch";

  /**
   * The job came from the shared jobs topic and names a tenant that may not publish there: one not
   * in {@code tenants.allowed}, or one that has its own jobs topic (its jobs are accepted from that
   * topic only, so no one else can publish as it). Nothing was run or reserved.
   */
  public static final String TENANT_NOT_ALLOWED = "tenant_not_allowed";

  /**
   * The job's {@code callback_url} does not start with one of the prefixes configured for its
   * tenant ({@code tenants.<tenant>.callback-prefixes}): its ending would be signed with the
   * tenant's secret and sent elsewhere. Nothing was run or reserved.
   */
  public static final String CALLBACK_NOT_ALLOWED = "callback_not_allowed";

  /**
   * A cancel request (on the job-control topic) reached the job before any task was created for it:
   * nothing was paid, and {@code estimated_cost_usd} is what the cancel saved. The event's {@code
   * cancellation} names the request. Not retryable: publish the job again under a new job id to run
   * it.
   */
  public static final String CANCELLED = "cancelled";

  private ErrorCodes() {}
}
