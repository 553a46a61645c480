package io.imagefleet.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextCodecTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String SAMPLED = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  @Test
  void readsTheProducersTraceparentAsARemoteSpan() {
    SpanContext span = TraceContextCodec.parse(SAMPLED);

    assertThat(span.isValid()).isTrue();
    assertThat(span.isRemote()).isTrue();
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(span.isSampled()).isTrue();
  }

  @Test
  void keepsTheProducersDecisionNotToSample() {
    SpanContext span = TraceContextCodec.parse("00-" + TRACE_ID + "-" + SPAN_ID + "-00");

    assertThat(span.isValid()).isTrue();
    assertThat(span.isSampled()).isFalse();
    assertThat(TraceContextCodec.format(span)).endsWith("-00");
  }

  @Test
  void writesWhatItReads() {
    assertThat(TraceContextCodec.format(TraceContextCodec.parse(SAMPLED))).isEqualTo(SAMPLED);
    assertThat(TraceContextCodec.format(TraceContextCodec.parse("  " + SAMPLED + "\n")))
        .isEqualTo(SAMPLED);
  }

  @Test
  void writesALocalSpanInW3cForm() {
    SpanContext local =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());

    assertThat(TraceContextCodec.format(local)).isEqualTo(SAMPLED);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "   ",
        "not a traceparent",
        "00-" + TRACE_ID + "-" + SPAN_ID, // no flags
        "00-00000000000000000000000000000000-" + SPAN_ID + "-01", // all-zero trace id
        "00-" + TRACE_ID + "-0000000000000000-01", // all-zero span id
        "ff-" + TRACE_ID + "-" + SPAN_ID + "-01", // forbidden version
        "00-" + TRACE_ID + "-" + SPAN_ID + "-01-extra", // version 00 has nothing after the flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + SPAN_ID + "-01", // upper case
        "00-" + TRACE_ID + "-" + SPAN_ID + "-0z"
      })
  void ignoresWhatIsNotATraceparent(String value) {
    SpanContext span = TraceContextCodec.parse(value);

    assertThat(span.isValid()).isFalse();
    assertThat(TraceContextCodec.format(span)).isNull();
  }

  @Test
  void writesNothingForNoSpan() {
    assertThat(TraceContextCodec.format(null)).isNull();
    assertThat(TraceContextCodec.format(SpanContext.getInvalid())).isNull();
  }
}
