package io.imagefleet.worker.tracing;

import io.imagefleet.contracts.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a W3C {@code traceparent} (a job record's header, a job-state field, a callback's HTTP
 * header) into an OpenTelemetry context and back. OpenTelemetry's own propagator does the parsing,
 * so a malformed value is rejected exactly as every other W3C implementation rejects it. Stateless.
 */
public final class TraceContextCodec {
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<String> ONE_VALUE =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of(TraceHeaders.TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
          return TraceHeaders.TRACEPARENT.equals(key) ? carrier : null;
        }
      };

  private TraceContextCodec() {}

  /**
   * The remote span {@code traceparent} names, or an invalid span context when it is null or
   * malformed (then nothing is continued).
   */
  public static SpanContext parse(String traceparent) {
    if (traceparent == null || traceparent.isBlank()) {
      return SpanContext.getInvalid();
    }
    Context extracted = W3C.extract(Context.root(), traceparent.trim(), ONE_VALUE);
    return Span.fromContext(extracted).getSpanContext();
  }

  /**
   * Makes the span {@code traceparent} names current on this thread until the scope closes, so what
   * is recorded meanwhile (a metric's exemplar) names the job's trace; nothing changes when it is
   * null or malformed.
   */
  public static Scope makeCurrent(String traceparent) {
    SpanContext span = parse(traceparent);
    return span.isValid() ? Context.root().with(Span.wrap(span)).makeCurrent() : Scope.noop();
  }

  /** The {@code traceparent} of {@code span}, or null when it is invalid (nothing to continue). */
  public static String format(SpanContext span) {
    if (span == null || !span.isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(2);
    W3C.inject(Context.root().with(Span.wrap(span)), carrier, Map::put);
    return carrier.get(TraceHeaders.TRACEPARENT);
  }
}
