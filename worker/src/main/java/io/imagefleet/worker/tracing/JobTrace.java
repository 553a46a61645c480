package io.imagefleet.worker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One job attempt's part of its trace on this worker. Every step hangs under the job's <em>anchor
 * </em>: the {@code job.admit} span of the worker that first admitted the job (itself a child of
 * the producer's span when the record carried a {@code traceparent}). The anchor's {@code
 * traceparent} is written into the job's state records, so a worker that takes the job over after a
 * crash hangs its steps under the same anchor, in the same trace, though the first worker's
 * unfinished spans died with it. Steps start on whichever thread runs them; this object is safe to
 * use from any of them.
 */
public final class JobTrace {
  static final AttributeKey<Long> IMAGE_INDEX = AttributeKey.longKey("imagefleet.image_index");

  private final Tracer tracer;
  private final Context anchor;
  private final Attributes job;
  private final Span admission;
  private final AtomicBoolean admitting = new AtomicBoolean(true);

  JobTrace(Tracer tracer, Context anchor, Attributes job, Span admission) {
    this.tracer = tracer;
    this.anchor = anchor;
    this.job = job;
    this.admission = admission;
  }

  /** The trace id, for log lines; null when the job is not traced. */
  public String traceId() {
    var context = Span.fromContext(anchor).getSpanContext();
    return context.isValid() ? context.getTraceId() : null;
  }

  /**
   * The anchor's W3C {@code traceparent}: what the job's state records keep for its next owner, and
   * what its ending's commit hangs under. Null when the job is not traced.
   */
  public String traceparent() {
    return TraceContextCodec.format(Span.fromContext(anchor).getSpanContext());
  }

  /** Admission is over: the job goes on to its steps (or ends). Only the first call counts. */
  public void admitted() {
    if (admitting.compareAndSet(true, false)) {
      admission.end();
    }
  }

  /** Admission ended the job with {@code code} (invalid, refused, cancelled). */
  public void refused(String code) {
    if (admitting.compareAndSet(true, false)) {
      new TraceStep(admission).fail(code);
    }
  }

  /** Starts step {@code name} on {@code route} (the route actually used, after any fallback). */
  public TraceStep step(String name, String route) {
    admitted();
    return new TraceStep(
        tracer
            .spanBuilder(name)
            .setParent(anchor)
            .setSpanKind(SpanKind.CLIENT)
            .setAllAttributes(job)
            .setAttribute(JobTracing.ROUTE, route)
            .startSpan());
  }

  /** Starts step {@code name} about the job's image number {@code index}. */
  public TraceStep imageStep(String name, String route, int index) {
    TraceStep step = step(name, route);
    step.span().setAttribute(IMAGE_INDEX, (long) index);
    return step;
  }
}
