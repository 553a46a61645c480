package io.imagefleet.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who a job is: its tenant and its job id. Two teams may both publish {@code job-1}; they are two
 * jobs, with two states, two budget reservations and two endings. Everything the fleet remembers
 * about a job (its state, duplicate detection, budget reservations) is keyed by {@link #key()}.
 *
 * <p>Any producer can write anything, so the identity a record claims may be arbitrarily long. The
 * fleet never repeats such a value whole: {@link #bounded(String)} keeps values of up to {@value
 * #MAX_CHARS} characters as they are and turns longer ones into a short excerpt followed by a hash
 * of the whole value, so that outputs stay small and distinct long values stay distinct.
 *
 * @param tenant the tenant the job claims (may be null on a broken record)
 * @param jobId the job id the record carries
 */
public record JobIdentity(String tenant, String jobId) {
  /**
   * Longest tenant or job id repeated verbatim on events, states and keys (both limits are far
   * lower).
   */
  public static final int MAX_CHARS = 128;

  private static final int EXCERPT_CHARS = 64;
  private static final int HASH_HEX_CHARS = 16;

  public static JobIdentity of(JobRequest job) {
    return new JobIdentity(job.tenant(), job.jobId());
  }

  /**
   * This identity as events and states carry it: each part {@linkplain #bounded bounded}; same
   * {@link #key()}.
   */
  public JobIdentity asWritten() {
    return new JobIdentity(bounded(tenant), bounded(jobId));
  }

  /**
   * The key of this job in the fleet's memory and on the state topic: {@code tenant/job id}, each
   * part {@linkplain #bounded bounded}. Tenants cannot contain {@code /}, so the first one
   * separates.
   */
  public String key() {
    return bounded(tenant == null ? "" : tenant) + "/" + bounded(jobId == null ? "" : jobId);
  }

  /**
   * {@code value} itself when it has at most {@value #MAX_CHARS} characters; otherwise its first
   * characters, {@code ...#}, and the first hex digits of its SHA-256, so the result is at most
   * about a hundred characters whatever the input. Null stays null.
   */
  public static String bounded(String value) {
    if (value == null || value.length() <= MAX_CHARS) {
      return value;
    }
    int end =
        Character.isHighSurrogate(value.charAt(EXCERPT_CHARS - 1))
            ? EXCERPT_CHARS - 1
            : EXCERPT_CHARS;
    return value.substring(0, end) + "...#" + sha256(value).substring(0, HASH_HEX_CHARS);
  }

  private static String sha256(String value) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
