package io.imagefleet.worker.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StateCodecTest {
  private static final String ANCHOR = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final Instant AT = Instant.parse("2026-12-07T03:00:00Z");

  @Test
  void keepsTheJobsTraceAnchorForItsNextOwner() {
    JobState submitted =
        JobState.submitted(
                new JobIdentity("catalog", "job-1"),
                1,
                "gpt-image-1.5",
                null,
                "task-1",
                0,
                AT,
                "w1")
            .withTraceparent(ANCHOR);

    byte[] bytes = StateCodec.encode(submitted);

    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .contains("\"traceparent\":\"" + ANCHOR + "\"");
    assertThat(StateCodec.decode(bytes)).isEqualTo(submitted);
  }

  @Test
  void writesNoTraceFieldForAJobThatIsNotTraced() {
    JobState submitting = JobState.submitting(new JobIdentity("catalog", "job-1"), 1, 0, AT, "w1");

    assertThat(new String(StateCodec.encode(submitting), StandardCharsets.UTF_8))
        .doesNotContain("traceparent");
  }

  @Test
  void readsStatesWrittenBeforeTracesWereKept() {
    String old =
        "{\"job_id\":\"job-1\",\"attempt\":1,\"phase\":\"SUBMITTED\",\"route\":\"gpt-image-1.5\","
            + "\"task_id\":\"task-1\",\"updated_at\":\"2026-12-07T03:00:00Z\",\"worker_id\":\"w1\","
            + "\"tenant\":\"catalog\"}";

    JobState state = StateCodec.decode(old.getBytes(StandardCharsets.UTF_8));

    assertThat(state.hasTask()).isTrue();
    assertThat(state.traceparent()).isNull();
  }
}
