package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Optional;

/**
 * A cancel request, version 1: what a team publishes to the job-control topic ({@link
 * Topics#JOB_CONTROL}, or its own {@code <control topic>.<tenant>}) to stop jobs that have not been
 * submitted upstream yet. Kafka key: the job id for scope {@code job}, the tenant otherwise.
 *
 * <p>Any producer can write anything, so a decoded request is checked with {@link #invalidReason()}
 * before it is applied; a request that fails the check cancels nothing.
 *
 * @param schemaVersion message schema version, {@value #SCHEMA_VERSION} for this record
 * @param requestId unique per request (a UUID); named on the events of the jobs it reaches
 * @param tenant the tenant whose jobs are cancelled; on a tenant's own control topic it must be
 *     that topic's tenant
 * @param scope what the request covers
 * @param jobId on scope {@code job}: the job
 * @param jobIdPrefix on scope {@code prefix}: the start of the job ids covered, at least one
 *     character
 * @param reason why, in a person's words; repeated on the events of the jobs it cancels
 * @param requestedAt when the request was made; on scope {@code all_queued}, jobs published at or
 *     before it are covered
 * @param requestedBy who asked (a user or a tool), for the record; never checked
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelRequest(
    int schemaVersion,
    String requestId,
    String tenant,
    CancelScope scope,
    String jobId,
    String jobIdPrefix,
    String reason,
    Instant requestedAt,
    String requestedBy) {

  public static final int SCHEMA_VERSION = 1;

  /** Longest reason repeated on events; a longer one is cut. */
  public static final int MAX_REASON_CHARS = 500;

  /** Longest request id and requester kept. */
  public static final int MAX_ID_CHARS = 128;

  public CancelRequest {
    schemaVersion = schemaVersion == 0 ? SCHEMA_VERSION : schemaVersion;
    if (reason != null && reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS);
    }
  }

  /** A cancel of one job. */
  public static CancelRequest ofJob(
      String requestId, String tenant, String jobId, String reason, Instant at, String by) {
    return new CancelRequest(
        SCHEMA_VERSION, requestId, tenant, CancelScope.JOB, jobId, null, reason, at, by);
  }

  /** A cancel of every job whose id starts with {@code prefix}. */
  public static CancelRequest ofPrefix(
      String requestId, String tenant, String prefix, String reason, Instant at, String by) {
    return new CancelRequest(
        SCHEMA_VERSION, requestId, tenant, CancelScope.PREFIX, null, prefix, reason, at, by);
  }

  /** A cancel of every job of the tenant published at or before {@code at}. */
  public static CancelRequest ofAllQueued(
      String requestId, String tenant, String reason, Instant at, String by) {
    return new CancelRequest(
        SCHEMA_VERSION, requestId, tenant, CancelScope.ALL_QUEUED, null, null, reason, at, by);
  }

  /**
   * Whether this request covers the job {@code jobId} of {@code tenant} whose record was published
   * at {@code publishedAt}. Whether the job may still be stopped (not yet submitted) is for the
   * worker to decide.
   */
  public boolean covers(String tenant, String jobId, Instant publishedAt) {
    if (this.tenant == null || !this.tenant.equals(tenant) || scope == null) {
      return false;
    }
    return switch (scope) {
      case JOB -> this.jobId != null && this.jobId.equals(jobId);
      case PREFIX -> jobIdPrefix != null && jobId != null && jobId.startsWith(jobIdPrefix);
      case ALL_QUEUED ->
          requestedAt != null && publishedAt != null && !publishedAt.isAfter(requestedAt);
    };
  }

  /** The Kafka key: the job id for one job, else the tenant. */
  public String key() {
    return scope == CancelScope.JOB ? jobId : tenant;
  }

  /**
   * Why this request cannot be applied, or empty when it can: a version this reader does not know,
   * no request id, a tenant or job id that no job can have, a scope without its field.
   */
  public Optional<String> invalidReason() {
    if (schemaVersion != SCHEMA_VERSION) {
      return Optional.of("unsupported schema_version " + schemaVersion);
    }
    if (requestId == null || requestId.isBlank() || requestId.length() > MAX_ID_CHARS) {
      return Optional.of("request_id must be 1 to " + MAX_ID_CHARS + " characters");
    }
    if (tenant == null || !TenantName.isCanonical(tenant)) {
      return Optional.of("tenant may contain only " + TenantName.RULE);
    }
    if (scope == null) {
      return Optional.of("scope must be job, prefix or all_queued");
    }
    if (requestedAt == null) {
      return Optional.of("requested_at is required");
    }
    return switch (scope) {
      case JOB -> validJobIdPart(jobId, "job_id");
      case PREFIX -> validJobIdPart(jobIdPrefix, "job_id_prefix");
      case ALL_QUEUED -> Optional.empty();
    };
  }

  private static Optional<String> validJobIdPart(String value, String field) {
    if (value == null
        || value.isEmpty()
        || value.length() > JobValidator.MAX_JOB_ID_CHARS
        || !JobValidator.JOB_ID.matcher(value).matches()) {
      return Optional.of(
          field
              + " must be 1 to "
              + JobValidator.MAX_JOB_ID_CHARS
              + " characters of "
              + JobValidator.JOB_ID.pattern());
    }
    return Optional.empty();
  }
}
