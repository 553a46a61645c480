package io.imagefleet.worker.storage;

import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What went wrong with an S3 call, in words that may be logged: the status and S3 error code of an
 * answer, or the exception classes along the cause of a client-side failure. Never the SDK's own
 * messages, which name the endpoint.
 */
final class S3Failures {
  private S3Failures() {}

  static String describe(Exception e) {
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      return "S3 answered " + s3.statusCode() + (code == null ? "" : " " + code);
    }
    StringBuilder names = new StringBuilder(e.getClass().getSimpleName());
    int depth = 0;
    for (Throwable c = e.getCause(); c != null && c != e && depth < 4; c = c.getCause(), depth++) {
      names.append(" <- ").append(c.getClass().getSimpleName());
    }
    return "S3 not reached: " + names;
  }
}
