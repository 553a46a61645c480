package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image job, version 1: what producer teams publish to the jobs topic with the job id as key.
 *
 * <p>Enumerated fields ({@code size}, {@code quality}) are kept as strings so that a job with a bad
 * value still decodes and can be answered with a FAILED event naming the field, instead of being
 * dead-lettered as unreadable. {@link JobValidator} checks every rule.
 *
 * @param schemaVersion message schema version, {@value #SCHEMA_VERSION} for this record (0, i.e.
 *     absent, means 1)
 * @param jobId chosen by the producer, unique: the idempotency key and the Kafka key
 * @param attempt 1 for the first run; a higher number (at most 1000) asks explicitly for a new run
 * @param tenant the team that owns the job (budgets, callback secrets, reporting)
 * @param route upstream model route; {@value #DEFAULT_ROUTE} when absent (null), but a blank route
 *     is kept so that validation can reject it
 * @param prompt the text prompt, at most 32000 characters; the route may allow fewer (the {@code
 *     gpt-image-1.5} family: 2000 tokens)
 * @param size one of {@link ImageSize}; {@code 1:1} when absent
 * @param quality one of {@link ImageQuality}; {@code high} when absent
 * @param n number of images, 1 to 10; 1 when absent
 * @param referenceImageUrls up to 16 http(s) links to jpeg, png or webp images (edits), each at
 *     most 2048 characters
 * @param callbackUrl optional public HTTPS URL told about the terminal status
 * @param maxCostUsd optional ceiling on the estimated cost of this job: above 0, at most 10000, at
 *     most 6 decimal places
 * @param allowFallback whether another route may serve the job when its route is down
 * @param metadata free-form strings echoed on every status event
 * @param createdAt when the producer created the job
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
    int schemaVersion,
    String jobId,
    Integer attempt,
    String tenant,
    String route,
    String prompt,
    String size,
    String quality,
    Integer n,
    List<String> referenceImageUrls,
    String callbackUrl,
    BigDecimal maxCostUsd,
    Boolean allowFallback,
    Map<String, String> metadata,
    Instant createdAt) {

  public static final int SCHEMA_VERSION = 1;
  public static final String DEFAULT_ROUTE = "gpt-image-1.5";

  /**
   * Fills defaults for absent optional fields and copies collections. Rules are checked by {@link
   * JobValidator}.
   */
  public JobRequest {
    schemaVersion = schemaVersion == 0 ? SCHEMA_VERSION : schemaVersion;
    attempt = attempt == null ? 1 : attempt;
    route = route == null ? DEFAULT_ROUTE : route;
    size = size == null ? ImageSize.SQUARE.wire() : size;
    quality = quality == null ? ImageQuality.HIGH.wire() : quality;
    n = n == null ? 1 : n;
    allowFallback = allowFallback == null ? Boolean.TRUE : allowFallback;
    referenceImageUrls = referenceImageUrls == null ? List.of() : List.copyOf(referenceImageUrls);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** Starts a job with the required fields; the rest take their defaults. */
  public static Builder builder(String jobId, String tenant, String prompt) {
    return new Builder(jobId, tenant, prompt);
  }

  /** The {@link ImageSize} this job asks for, if {@link #size()} is a supported value. */
  public Optional<ImageSize> imageSize() {
    return ImageSize.tryParse(size);
  }

  /** The {@link ImageQuality} this job asks for, if {@link #quality()} is a supported value. */
  public Optional<ImageQuality> imageQuality() {
    return ImageQuality.tryParse(quality);
  }

  /** Returns a copy of this job that asks for the given attempt. */
  public JobRequest withAttempt(int newAttempt) {
    return new JobRequest(
        schemaVersion,
        jobId,
        newAttempt,
        tenant,
        route,
        prompt,
        size,
        quality,
        n,
        referenceImageUrls,
        callbackUrl,
        maxCostUsd,
        allowFallback,
        metadata,
        createdAt);
  }

  /** Fluent construction for producers and tests. */
  public static final class Builder {
    private final String jobId;
    private final String tenant;
    private final String prompt;
    private int attempt = 1;
    private String route = DEFAULT_ROUTE;
    private String size;
    private String quality;
    private int n = 1;
    private List<String> referenceImageUrls = List.of();
    private String callbackUrl;
    private BigDecimal maxCostUsd;
    private boolean allowFallback = true;
    private Map<String, String> metadata = Map.of();
    private Instant createdAt = Instant.now();

    private Builder(String jobId, String tenant, String prompt) {
      this.jobId = jobId;
      this.tenant = tenant;
      this.prompt = prompt;
    }

    public Builder attempt(int value) {
      this.attempt = value;
      return this;
    }

    public Builder route(String value) {
      this.route = value;
      return this;
    }

    public Builder size(String value) {
      this.size = value;
      return this;
    }

    public Builder size(ImageSize value) {
      this.size = value.wire();
      return this;
    }

    public Builder quality(String value) {
      this.quality = value;
      return this;
    }

    public Builder quality(ImageQuality value) {
      this.quality = value.wire();
      return this;
    }

    public Builder n(int value) {
      this.n = value;
      return this;
    }

    public Builder referenceImageUrls(List<String> value) {
      this.referenceImageUrls = value;
      return this;
    }

    public Builder callbackUrl(String value) {
      this.callbackUrl = value;
      return this;
    }

    public Builder maxCostUsd(BigDecimal value) {
      this.maxCostUsd = value;
      return this;
    }

    public Builder allowFallback(boolean value) {
      this.allowFallback = value;
      return this;
    }

    public Builder metadata(Map<String, String> value) {
      this.metadata = value;
      return this;
    }

    public Builder createdAt(Instant value) {
      this.createdAt = value;
      return this;
    }

    public JobRequest build() {
      return new JobRequest(
          SCHEMA_VERSION,
          jobId,
          attempt,
          tenant,
          route,
          prompt,
          size,
          quality,
          n,
          referenceImageUrls,
          callbackUrl,
          maxCostUsd,
          allowFallback,
          metadata,
          createdAt);
    }
  }
}
