package io.imagefleet.contracts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks every rule of a {@link JobRequest} that a decoded job can still break, and reports every
 * violated field at once, so that a producer can fix a job in one round trip instead of one field
 * at a time. The rules follow the upstream's own limits (see the job-request JSON Schema, which
 * states the same rules where JSON Schema can express them), plus the fleet's: ids safe as Kafka
 * keys and in storage paths, callbacks only to public hosts. Only what holds on every route is
 * checked here, at the widest bound any route allows; what a route's model cannot do (a longer
 * prompt than it takes, a size it does not render) is the worker's check against that route ({@link
 * ValidationCode#UNSUPPORTED_BY_ROUTE}).
 *
 * <p>Errors name fields by their JSON names ({@code reference_image_urls[3]}, {@code metadata.k}),
 * carry a stable {@link ValidationCode}, and never echo more than a short excerpt of a value. Lists
 * and maps above their size limit are reported once as {@code too_many}, and only their first
 * entries are checked one by one, so the answer stays small whatever the input. Stateless and
 * thread safe; no network access (callback hosts are checked as literals only).
 */
public final class JobValidator {
  public static final int MAX_JOB_ID_CHARS = 128;
  public static final int MAX_ROUTE_CHARS = 64;

  /**
   * The most characters (code points) a prompt may have on any route: the widest bound among the
   * models the fleet knows ({@code gpt-image-2}). Each route adds its own, narrower limit (the
   * {@code gpt-image-1.5} family counts 2000 tokens), which the worker checks against the route a
   * job asks for; this bound also caps what tokenizing a prompt may cost on the intake thread.
   */
  public static final int MAX_PROMPT_CHARS = 32_000;

  public static final int MAX_IMAGES = 10;
  public static final int MAX_REFERENCE_IMAGES = 16;
  public static final int MAX_REFERENCE_IMAGE_URL_CHARS = UrlRules.MAX_REFERENCE_IMAGE_CHARS;
  public static final int MAX_CALLBACK_URL_CHARS = UrlRules.MAX_CALLBACK_CHARS;
  public static final int MAX_METADATA_ENTRIES = 32;
  public static final int MAX_METADATA_KEY_CHARS = 64;
  public static final int MAX_METADATA_VALUE_CHARS = 1024;
  public static final int MAX_ATTEMPT = 1000;

  /**
   * The most {@code max_cost_usd} may be; its scale is at most {@link Money#SCALE} decimal places.
   */
  public static final BigDecimal MAX_COST_USD = BigDecimal.valueOf(10_000);

  public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]+");
  private static final Pattern ROUTE = Pattern.compile("[a-z0-9.-]+");
  private static final int EXCERPT_CHARS = 40;

  /** Returns the violated rules of {@code job}, in field order; empty when the job is valid. */
  public List<FieldError> validate(JobRequest job) {
    Objects.requireNonNull(job, "job");
    List<FieldError> errors = new ArrayList<>();
    checkSchemaVersion(job.schemaVersion(), errors);
    checkJobId(job.jobId(), errors);
    if (job.attempt() < 1 || job.attempt() > MAX_ATTEMPT) {
      errors.add(
          ValidationCode.OUT_OF_RANGE.at(
              "attempt", "attempt must be 1 to " + MAX_ATTEMPT + ", but was " + job.attempt()));
    }
    checkTenant(job.tenant(), errors);
    checkRoute(job.route(), errors);
    checkPrompt(job.prompt(), errors);
    if (ImageSize.tryParse(job.size()).isEmpty()) {
      errors.add(
          ValidationCode.UNSUPPORTED_VALUE.at(
              "size",
              "size must be one of "
                  + Arrays.stream(ImageSize.values())
                      .map(ImageSize::wire)
                      .collect(Collectors.joining(", "))
                  + ", but was "
                  + excerpt(job.size())));
    }
    if (ImageQuality.tryParse(job.quality()).isEmpty()) {
      errors.add(
          ValidationCode.UNSUPPORTED_VALUE.at(
              "quality",
              "quality must be one of "
                  + Arrays.stream(ImageQuality.values())
                      .map(ImageQuality::wire)
                      .collect(Collectors.joining(", "))
                  + ", but was "
                  + excerpt(job.quality())));
    }
    if (job.n() < 1 || job.n() > MAX_IMAGES) {
      errors.add(
          ValidationCode.OUT_OF_RANGE.at(
              "n", "n must be 1 to " + MAX_IMAGES + ", but was " + job.n()));
    }
    checkReferenceImages(job.referenceImageUrls(), errors);
    if (job.callbackUrl() != null) {
      UrlRules.callback("callback_url", job.callbackUrl()).ifPresent(errors::add);
    }
    checkMaxCost(job.maxCostUsd(), errors);
    checkMetadata(job.metadata(), errors);
    return List.copyOf(errors);
  }

  private static void checkSchemaVersion(int version, List<FieldError> errors) {
    if (version > JobRequest.SCHEMA_VERSION) {
      errors.add(
          ValidationCode.UNSUPPORTED_VERSION.at(
              "schema_version",
              "schema_version "
                  + version
                  + " is not supported; this reader understands version "
                  + JobRequest.SCHEMA_VERSION));
    } else if (version < 1) {
      errors.add(
          ValidationCode.OUT_OF_RANGE.at(
              "schema_version",
              "schema_version must be " + JobRequest.SCHEMA_VERSION + ", but was " + version));
    }
  }

  private static void checkJobId(String jobId, List<FieldError> errors) {
    if (jobId == null || jobId.isBlank()) {
      errors.add(ValidationCode.REQUIRED.at("job_id", "job_id is required"));
    } else if (chars(jobId) > MAX_JOB_ID_CHARS) {
      errors.add(tooLong("job_id", jobId, MAX_JOB_ID_CHARS));
    } else if (!JOB_ID.matcher(jobId).matches() || jobId.equals(".") || jobId.equals("..")) {
      errors.add(
          ValidationCode.INVALID_FORMAT.at(
              "job_id",
              "job_id may contain only letters, digits, '.', '_', ':' and '-', and must not be '.' or '..'"));
    }
  }

  private static void checkTenant(String tenant, List<FieldError> errors) {
    if (tenant == null || tenant.isBlank()) {
      errors.add(ValidationCode.REQUIRED.at("tenant", "tenant is required"));
    } else if (chars(tenant) > TenantName.MAX_CHARS) {
      errors.add(tooLong("tenant", tenant, TenantName.MAX_CHARS));
    } else if (!TenantName.isCanonical(tenant)) {
      errors.add(
          ValidationCode.INVALID_FORMAT.at("tenant", "tenant may contain only " + TenantName.RULE));
    }
  }

  private static void checkRoute(String route, List<FieldError> errors) {
    if (route == null || route.isBlank()) {
      errors.add(
          ValidationCode.REQUIRED.at(
              "route", "route must not be blank; leave it out for " + JobRequest.DEFAULT_ROUTE));
    } else if (chars(route) > MAX_ROUTE_CHARS) {
      errors.add(tooLong("route", route, MAX_ROUTE_CHARS));
    } else if (!ROUTE.matcher(route).matches()) {
      errors.add(
          ValidationCode.INVALID_FORMAT.at(
              "route", "route may contain only lowercase letters, digits, '.' and '-'"));
    }
  }

  private static void checkPrompt(String prompt, List<FieldError> errors) {
    if (prompt == null || prompt.isBlank()) {
      errors.add(ValidationCode.REQUIRED.at("prompt", "prompt is required"));
    } else if (chars(prompt) > MAX_PROMPT_CHARS) {
      errors.add(tooLong("prompt", prompt, MAX_PROMPT_CHARS));
    }
  }

  private static void checkReferenceImages(List<String> urls, List<FieldError> errors) {
    if (urls.size() > MAX_REFERENCE_IMAGES) {
      errors.add(
          ValidationCode.TOO_MANY.at(
              "reference_image_urls",
              "at most "
                  + MAX_REFERENCE_IMAGES
                  + " reference images are allowed, but there are "
                  + urls.size()));
    }
    for (int i = 0; i < Math.min(urls.size(), MAX_REFERENCE_IMAGES); i++) {
      UrlRules.referenceImage("reference_image_urls[" + i + "]", urls.get(i))
          .ifPresent(errors::add);
    }
  }

  /**
   * Range first, from the number's precision and scale alone, then decimal places: a JSON number
   * may carry an exponent near a billion either way, and nothing here writes or rounds its digits.
   * {@link BigDecimal#toString()} is safe for the message: it switches to scientific notation for
   * such exponents.
   */
  private static void checkMaxCost(BigDecimal maxCost, List<FieldError> errors) {
    if (maxCost == null) {
      return;
    }
    boolean inRange =
        maxCost.signum() > 0
            && Money.integerDigits(maxCost) <= Money.integerDigits(MAX_COST_USD)
            && maxCost.compareTo(MAX_COST_USD) <= 0;
    if (!inRange) {
      errors.add(
          ValidationCode.OUT_OF_RANGE.at(
              "max_cost_usd",
              "max_cost_usd must be > 0 and at most "
                  + MAX_COST_USD
                  + ", but was "
                  + excerpt(maxCost.toString())));
    } else if (Money.decimalPlaces(maxCost) > Money.SCALE) {
      errors.add(
          ValidationCode.TOO_PRECISE.at(
              "max_cost_usd",
              "max_cost_usd may have at most "
                  + Money.SCALE
                  + " decimal places, but was "
                  + excerpt(maxCost.toString())));
    }
  }

  private static void checkMetadata(Map<String, String> metadata, List<FieldError> errors) {
    if (metadata.size() > MAX_METADATA_ENTRIES) {
      errors.add(
          ValidationCode.TOO_MANY.at(
              "metadata",
              "metadata may have at most "
                  + MAX_METADATA_ENTRIES
                  + " entries, but has "
                  + metadata.size()));
    }
    firstKeys(metadata)
        .forEach(
            key -> {
              if (key.isEmpty()) {
                errors.add(
                    ValidationCode.REQUIRED.at("metadata", "metadata keys must not be empty"));
              } else if (chars(key) > MAX_METADATA_KEY_CHARS) {
                errors.add(
                    ValidationCode.TOO_LONG.at(
                        "metadata",
                        "metadata key "
                            + excerpt(key)
                            + " must be at most "
                            + MAX_METADATA_KEY_CHARS
                            + " characters, but has "
                            + chars(key)));
              } else if (chars(metadata.get(key)) > MAX_METADATA_VALUE_CHARS) {
                errors.add(tooLong("metadata." + key, metadata.get(key), MAX_METADATA_VALUE_CHARS));
              }
            });
  }

  /**
   * The first {@value #MAX_METADATA_ENTRIES} keys in sorted order, so that the entries checked one
   * by one are the same on every run; kept that short while reading, so that a map of any size
   * costs no more than one pass over it.
   */
  private static SortedSet<String> firstKeys(Map<String, String> metadata) {
    TreeSet<String> first = new TreeSet<>();
    for (String key : metadata.keySet()) {
      first.add(key);
      if (first.size() > MAX_METADATA_ENTRIES) {
        first.pollLast();
      }
    }
    return first;
  }

  private static FieldError tooLong(String field, String value, int max) {
    return ValidationCode.TOO_LONG.at(
        field, field + " must be at most " + max + " characters, but has " + chars(value));
  }

  /** Characters as JSON Schema counts them: code points, not UTF-16 units. */
  private static int chars(String text) {
    return text.codePointCount(0, text.length());
  }

  /** A value, quoted, cut to a short excerpt and with control characters replaced, for messages. */
  static String excerpt(String value) {
    if (value == null) {
      return "null";
    }
    String cut = value;
    if (value.length() > EXCERPT_CHARS) {
      int end =
          Character.isHighSurrogate(value.charAt(EXCERPT_CHARS - 1))
              ? EXCERPT_CHARS - 1
              : EXCERPT_CHARS;
      cut = value.substring(0, end) + "...";
    }
    StringBuilder quoted = new StringBuilder("'");
    cut.codePoints().forEach(c -> quoted.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return quoted.append('\'').toString();
  }
}
