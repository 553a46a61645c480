package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventFieldsTest {

  @Test
  void readsTheFourFieldsAndSkipsTheRest() {
    String json =
        """
        {"schema_version":1,"event_id":"e1","job_id":"j-1","tenant":"t","status":"SUCCEEDED","attempt":1,
         "upstream_task_id":"task-unified-1-abcd","images":[{"index":0,"sha256":"ff"}],
         "usage":{"total_tokens":3},"metadata":{"job_id":"not this one"},
         "occurred_at":"2026-11-24T09:16:02.418Z","worker_id":"w"}""";

    EventFields fields = EventFields.read(json.getBytes(StandardCharsets.UTF_8));

    assertThat(fields)
        .isEqualTo(
            new EventFields(
                "j-1",
                JobStatus.SUCCEEDED,
                "task-unified-1-abcd",
                Instant.parse("2026-11-24T09:16:02.418Z")));
  }

  @Test
  void anEventBeforeSubmissionHasNoTask() {
    String json =
        "{\"job_id\":\"j-2\",\"status\":\"ACCEPTED\",\"upstream_task_id\":null,"
            + "\"occurred_at\":\"2026-11-24T09:16:00Z\"}";

    assertThat(EventFields.read(json.getBytes(StandardCharsets.UTF_8)).taskId()).isNull();
  }
}
