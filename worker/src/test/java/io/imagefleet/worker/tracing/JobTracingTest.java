package io.imagefleet.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobTracingTest {
  private static final String PRODUCER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final JobRequest JOB =
      JobRequest.builder("job-1", "catalog", "a lamp").route("gpt-image-1.5").build();

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final JobTracing tracing =
      JobTracing.of(OpenTelemetrySdk.builder().setTracerProvider(provider).build());

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void continuesTheProducersTraceUnderTheJobsAdmission() {
    JobTrace trace = tracing.startJob(JOB, PRODUCER, null);
    trace.step(SpanNames.UPSTREAM_CREATE, "gpt-image-1.5").end();

    SpanData admit = span(SpanNames.ADMIT);
    SpanData create = span(SpanNames.UPSTREAM_CREATE);
    assertThat(admit.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(admit.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(create.getTraceId()).isEqualTo(admit.getTraceId());
    assertThat(create.getParentSpanId()).isEqualTo(admit.getSpanId());
    assertThat(trace.traceId()).isEqualTo(admit.getTraceId());
    assertThat(TraceContextCodec.parse(trace.traceparent()).getSpanId())
        .isEqualTo(admit.getSpanId());
    assertThat(admit.getAttributes().get(AttributeKey.stringKey("imagefleet.job_id")))
        .isEqualTo("job-1");
    assertThat(admit.getAttributes().get(AttributeKey.stringKey("imagefleet.tenant")))
        .isEqualTo("catalog");
    assertThat(create.getAttributes().get(AttributeKey.stringKey("imagefleet.route")))
        .isEqualTo("gpt-image-1.5");
  }

  @Test
  void startsATraceOfItsOwnWithoutAProducerContext() {
    JobTrace trace = tracing.startJob(JOB, "garbage", null);
    trace.admitted();

    SpanData admit = span(SpanNames.ADMIT);
    assertThat(admit.getParentSpanContext().isValid()).isFalse();
    assertThat(trace.traceId()).isEqualTo(admit.getTraceId());
  }

  @Test
  void aJobTakenOverHangsItsStepsUnderTheAnchorItsStateKept() {
    String anchor = "00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01";
    JobTrace trace = tracing.startJob(JOB, PRODUCER, anchor);
    trace.step(SpanNames.UPSTREAM_POLL, "gpt-image-1.5").end();

    SpanData admit = span(SpanNames.ADMIT);
    SpanData poll = span(SpanNames.UPSTREAM_POLL);
    assertThat(admit.getParentSpanId()).isEqualTo("1111111111111111");
    assertThat(admit.getAttributes().get(AttributeKey.booleanKey("imagefleet.handed_over")))
        .isTrue();
    assertThat(poll.getParentSpanId()).isEqualTo("1111111111111111");
    assertThat(trace.traceparent()).isEqualTo(anchor);
  }

  @Test
  void aFailedStepCarriesItsCodeAndAdmissionEndsOnce() {
    JobTrace trace = tracing.startJob(JOB, null, null);
    trace.refused("invalid_request");
    trace.admitted();
    trace.imageStep(SpanNames.IMAGE_DOWNLOAD, "gpt-image-1.5", 2).fail("http_503");

    assertThat(spans.getFinishedSpanItems()).hasSize(2);
    SpanData admit = span(SpanNames.ADMIT);
    assertThat(admit.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    SpanData download = span(SpanNames.IMAGE_DOWNLOAD);
    assertThat(download.getAttributes().get(AttributeKey.stringKey("imagefleet.error_code")))
        .isEqualTo("http_503");
    assertThat(download.getAttributes().get(AttributeKey.longKey("imagefleet.image_index")))
        .isEqualTo(2L);
  }

  @Test
  void theCommitAndTheCallbackFollowTheJob() {
    JobTrace trace = tracing.startJob(JOB, PRODUCER, null);
    trace.admitted();
    TraceStep commit =
        tracing.startCommit(trace.traceparent(), "job-1", "catalog", "gpt-image-1.5");
    TraceStep callback = tracing.startCallback(commit.traceparent(), "job-1", "catalog");
    callback.answered(200).end();
    commit.end();

    SpanData admit = span(SpanNames.ADMIT);
    SpanData committed = span(SpanNames.JOB_COMMIT);
    SpanData sent = span(SpanNames.CALLBACK_SEND);
    assertThat(committed.getParentSpanId()).isEqualTo(admit.getSpanId());
    assertThat(sent.getParentSpanId()).isEqualTo(committed.getSpanId());
    assertThat(sent.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(sent.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200L);
  }

  @Test
  void offItMakesNoSpanButHandsTheProducersContextOn() {
    JobTracing off = JobTracing.off();

    JobTrace traced = off.startJob(JOB, PRODUCER, null);
    assertThat(traced.traceparent()).isEqualTo(PRODUCER);
    assertThat(off.startCommit(PRODUCER, "job-1", "catalog", null).traceparent())
        .isEqualTo(PRODUCER);

    JobTrace untraced = off.startJob(JOB, null, null);
    assertThat(untraced.traceparent()).isNull();
    assertThat(untraced.traceId()).isNull();
    assertThat(untraced.step(SpanNames.UPSTREAM_CREATE, "r").traceparent()).isNull();
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  private SpanData span(String name) {
    List<SpanData> named =
        spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named %s", name).hasSize(1);
    return named.get(0);
  }
}
