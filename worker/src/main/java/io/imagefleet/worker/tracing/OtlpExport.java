package io.imagefleet.worker.tracing;

import io.imagefleet.worker.config.TracingSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK of a worker that traces: spans batched (a bounded queue; past it spans are
 * dropped, never the worker slowed) and sent over OTLP/HTTP to {@code tracing.otlp-endpoint}, with
 * {@code tracing.otlp-headers}. The sampler follows a sampled parent (the producer's decision wins)
 * and samples {@code tracing.sample-ratio} of the traces the worker starts itself. Not registered
 * as the global OpenTelemetry: nothing else in the process picks it up by accident.
 */
final class OtlpExport {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_INSTANCE =
      AttributeKey.stringKey("service.instance.id");

  private final SdkTracerProvider provider;

  private OtlpExport(SdkTracerProvider provider) {
    this.provider = provider;
  }

  static OtlpExport start(TracingSettings settings, String workerId) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.otlpEndpoint().orElseThrow().toString());
    settings.otlpHeaders().forEach((name, value) -> builder.addHeader(name, value.reveal()));
    OtlpHttpSpanExporter exporter = builder.build();
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        SERVICE_NAME, settings.serviceName(), SERVICE_INSTANCE, workerId)));
    return new OtlpExport(
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio())))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build());
  }

  Tracer tracer(String scope) {
    return provider.get(scope);
  }

  void shutdown() {
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }
}
