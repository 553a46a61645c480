package io.imagefleet.worker.metrics;

import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Lets the Prometheus registry tag a sample with the trace it was recorded in (an exemplar): the
 * span current on the recording thread, when it is sampled. Where nothing is current (tracing off,
 * a meter recorded outside any job) the sample has no exemplar. Stateless.
 */
final class TraceExemplars implements SpanContext {
  @Override
  public String getCurrentTraceId() {
    var span = Span.current().getSpanContext();
    return span.isValid() ? span.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    var span = Span.current().getSpanContext();
    return span.isValid() ? span.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    var span = Span.current().getSpanContext();
    return span.isValid() && span.isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    // The job's spans are ended by then, or belong to another worker: nothing to mark.
  }
}
