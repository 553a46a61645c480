package io.imagefleet.worker.tracing;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.worker.config.TracingSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The worker's one door to OpenTelemetry: starts a job's trace where its producer (or its previous
 * owner) left it, and the steps that happen outside the job's run (the commit of its ending, its
 * callback). Off unless {@code tracing.otlp-endpoint} is set; off, it is OpenTelemetry's no-op, so
 * a job costs no span, and a producer's {@code traceparent} is still handed on unchanged. Spans
 * carry the job's id, tenant and route, never a URL, a prompt or a secret. Thread safe.
 */
public final class JobTracing implements AutoCloseable {
  static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("imagefleet.job_id");
  static final AttributeKey<String> TENANT = AttributeKey.stringKey("imagefleet.tenant");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("imagefleet.route");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("imagefleet.attempt");
  static final AttributeKey<Boolean> HANDED_OVER =
      AttributeKey.booleanKey("imagefleet.handed_over");

  /** The instrumentation scope the worker's spans are named under. */
  static final String SCOPE = "io.imagefleet.worker";

  private final Tracer tracer;
  private final Runnable shutdown;

  private JobTracing(Tracer tracer, Runnable shutdown) {
    this.tracer = tracer;
    this.shutdown = shutdown;
  }

  /** No spans at all: OpenTelemetry's no-op. */
  public static JobTracing off() {
    return of(OpenTelemetry.noop());
  }

  /**
   * Spans go to {@code openTelemetry}, which its owner shuts down (tests: an in-memory exporter).
   */
  public static JobTracing of(OpenTelemetry openTelemetry) {
    return new JobTracing(openTelemetry.getTracer(SCOPE), () -> {});
  }

  /** As {@code settings} say: spans exported over OTLP, or off when no endpoint is set. */
  public static JobTracing from(TracingSettings settings, String workerId) {
    if (!settings.enabled()) {
      return off();
    }
    OtlpExport export = OtlpExport.start(settings, workerId);
    return new JobTracing(export.tracer(SCOPE), export::shutdown);
  }

  /**
   * Starts the trace of one job attempt on this worker, with its {@code job.admit} step open.
   *
   * @param producerTraceparent the job record's {@code traceparent} header, or null
   * @param storedTraceparent the anchor a previous owner recorded in the job's state, or null: a
   *     job taken over continues there, in the trace it began in
   */
  public JobTrace startJob(JobRequest job, String producerTraceparent, String storedTraceparent) {
    Attributes attributes =
        Attributes.of(
            JOB_ID,
            job.jobId(),
            TENANT,
            job.tenant(),
            ROUTE,
            job.route() == null ? "" : job.route(),
            ATTEMPT,
            (long) job.attempt());
    SpanContext stored = TraceContextCodec.parse(storedTraceparent);
    SpanBuilder admit =
        tracer
            .spanBuilder(SpanNames.ADMIT)
            .setSpanKind(SpanKind.CONSUMER)
            .setAllAttributes(attributes);
    if (stored.isValid()) {
      Context anchor = Context.root().with(Span.wrap(stored));
      Span admission = admit.setParent(anchor).setAttribute(HANDED_OVER, true).startSpan();
      return new JobTrace(tracer, anchor, attributes, admission);
    }
    SpanContext producer = TraceContextCodec.parse(producerTraceparent);
    Span admission =
        (producer.isValid()
                ? admit.setParent(Context.root().with(Span.wrap(producer)))
                : admit.setNoParent())
            .startSpan();
    return new JobTrace(tracer, Context.root().with(admission), attributes, admission);
  }

  /**
   * Starts the {@code job.commit} step of a job whose anchor is {@code jobTraceparent}: the
   * transaction that makes its ending durable. Its own {@code traceparent} goes on the terminal
   * event and the owed callback.
   */
  public TraceStep startCommit(String jobTraceparent, String jobId, String tenant, String route) {
    return step(SpanNames.JOB_COMMIT, SpanKind.PRODUCER, jobTraceparent, jobId, tenant, route);
  }

  /**
   * Starts one {@code callback.send} attempt under {@code traceparent} (the commit that owed it);
   * its own {@code traceparent} goes on the HTTP request.
   */
  public TraceStep startCallback(String traceparent, String jobId, String tenant) {
    return step(SpanNames.CALLBACK_SEND, SpanKind.CLIENT, traceparent, jobId, tenant, null);
  }

  private TraceStep step(
      String name, SpanKind kind, String parent, String jobId, String tenant, String route) {
    SpanContext parentContext = TraceContextCodec.parse(parent);
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
    builder =
        parentContext.isValid()
            ? builder.setParent(Context.root().with(Span.wrap(parentContext)))
            : builder.setNoParent();
    builder.setAttribute(JOB_ID, jobId).setAttribute(TENANT, tenant);
    if (route != null) {
      builder.setAttribute(ROUTE, route);
    }
    return new TraceStep(builder.startSpan());
  }

  /** Exports what is still buffered, then stops the exporter (a no-op when off). */
  @Override
  public void close() {
    shutdown.run();
  }
}
