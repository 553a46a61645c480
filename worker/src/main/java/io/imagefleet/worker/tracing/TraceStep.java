package io.imagefleet.worker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * One step of a job's trace (a span), started by {@link JobTrace} or {@link JobTracing} and ended
 * exactly once by whoever saw its outcome; a second end is ignored by OpenTelemetry. With tracing
 * off it costs nothing: the span is OpenTelemetry's no-op. Safe to end from any thread.
 */
public final class TraceStep {
  static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("imagefleet.error_code");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  private final Span span;

  TraceStep(Span span) {
    this.span = span;
  }

  /**
   * The W3C {@code traceparent} naming this step, for a record or a request it causes; null when
   * nothing is traced.
   */
  public String traceparent() {
    return TraceContextCodec.format(span.getSpanContext());
  }

  /** The step succeeded. */
  public void end() {
    span.end();
  }

  /** The step failed with {@code code} (a stable error code, never a message with secrets). */
  public void fail(String code) {
    span.setAttribute(ERROR_CODE, code);
    span.setStatus(StatusCode.ERROR, code);
    span.end();
  }

  /** The HTTP status the step's request was answered with. */
  public TraceStep answered(int status) {
    span.setAttribute(HTTP_STATUS, (long) status);
    return this;
  }

  Span span() {
    return span;
  }
}
