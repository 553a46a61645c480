package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one cancel request covers, always within one tenant. */
public enum CancelScope {
  /** The job whose {@code job_id} is the request's {@code job_id}. */
  @JsonProperty("job")
  JOB,
  /** Every job whose {@code job_id} starts with the request's {@code job_id_prefix}. */
  @JsonProperty("prefix")
  PREFIX,
  /**
   * Every job of the tenant published at or before the request's {@code requested_at} (its Kafka
   * record's timestamp) and not yet submitted; jobs published later run as usual.
   */
  @JsonProperty("all_queued")
  ALL_QUEUED;

  /** The name on the wire: {@code job}, {@code prefix}, {@code all_queued}. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
