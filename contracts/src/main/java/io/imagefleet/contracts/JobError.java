package io.imagefleet.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;

/**
 * Why a job failed.
 *
 * @param code stable, machine-readable code (see {@link ErrorCodes} and upstream task codes)
 * @param message human-readable explanation; never carries secrets
 * @param retryable whether submitting the same job again may succeed
 * @param field the offending request field, when exactly one is to blame
 * @param fieldErrors every violated field, for validation failures
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JobError(
    String code, String message, boolean retryable, String field, List<FieldError> fieldErrors) {

  public JobError {
    Objects.requireNonNull(code, "code");
    fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
  }

  public static JobError of(String code, String message, boolean retryable) {
    return new JobError(code, message, retryable, null, List.of());
  }

  /** The error for a job that broke one or more rules: code {@value ErrorCodes#INVALID_JOB}. */
  public static JobError invalid(List<FieldError> errors) {
    String field = errors.size() == 1 ? errors.get(0).field() : null;
    String message =
        errors.size()
            + " invalid field(s): "
            + String.join(", ", errors.stream().map(e -> e.field() + " " + e.code()).toList());
    return new JobError(ErrorCodes.INVALID_JOB, message, false, field, errors);
  }
}
