package io.imagefleet.worker.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PartitionStatesTest {
  private static final JobIdentity J1 = new JobIdentity("catalog", "j1");
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void keepsTheLatestStateOfEachJob() {
    PartitionStates states = new PartitionStates();
    states.put(JobState.submitted(J1, 1, "gpt-image-1.5", null, "task-1", 0, NOW, "w1"));
    states.put(JobState.ended(J1, 1, "gpt-image-1.5", "task-1", JobStatus.SUCCEEDED, 7, NOW, "w1"));
    assertThat(states.get(J1).isEnded()).isTrue();
    assertThat(states.get(J1).attempt()).isEqualTo(1);
    assertThat(states.get(J1).taskId()).as("an ended job keeps only what a replay needs").isNull();
    assertThat(states.size()).isEqualTo(1);
  }

  @Test
  void neverLetsAnOlderAttemptHideANewerOne() {
    PartitionStates states = new PartitionStates();
    states.put(JobState.submitted(J1, 2, "gpt-image-1.5", null, "task-2", 0, NOW, "w1"));
    states.put(JobState.ended(J1, 1, "gpt-image-1.5", "task-1", JobStatus.SUCCEEDED, 7, NOW, "w1"));
    assertThat(states.get(J1).attempt()).isEqualTo(2);
    assertThat(states.get(J1).taskId()).isEqualTo("task-2");
  }

  @Test
  void forgetsTheOldestEndedJobsBeyondItsShareOnceTheirOffsetsAreCommitted() {
    PartitionStates states = new PartitionStates();
    for (int i = 0; i < 5; i++) {
      states.put(
          JobState.ended(
              new JobIdentity("catalog", "j" + i),
              1,
              null,
              null,
              JobStatus.SUCCEEDED,
              i,
              NOW,
              "w1"));
    }
    states.put(
        JobState.submitted(
            new JobIdentity("catalog", "running"), 1, "gpt-image-1.5", null, "t", 0, NOW, "w1"));

    states.forgetEnded(2, 1);
    assertThat(states.get(new JobIdentity("catalog", "j0"))).as("committed and oldest").isNull();
    assertThat(states.get(new JobIdentity("catalog", "j1"))).isNull();
    assertThat(states.get(new JobIdentity("catalog", "j2")))
        .as("its record is not committed yet")
        .isNotNull();
    assertThat(states.get(new JobIdentity("catalog", "running")))
        .as("a job in flight is never forgotten")
        .isNotNull();

    states.forgetEnded(10, 2);
    assertThat(states.size()).isEqualTo(3);
    assertThat(states.get(new JobIdentity("catalog", "j4")).isEnded()).isTrue();
  }

  @Test
  void twoTenantsMayUseTheSameJobId() {
    PartitionStates states = new PartitionStates();
    states.put(JobState.ended(J1, 1, null, null, JobStatus.SUCCEEDED, 0, NOW, "w1"));
    assertThat(states.get(new JobIdentity("marketing", "j1"))).isNull();
    assertThat(states.get(J1).tenant()).isEqualTo("catalog");
  }

  @Test
  void findsAStateWrittenBeforeTenantsWereKeys() {
    PartitionStates states = new PartitionStates();
    states.put(
        JobState.ended(
            new JobIdentity(null, "old"), 1, null, null, JobStatus.SUCCEEDED, 0, NOW, "w1"));
    assertThat(states.get(new JobIdentity("catalog", "old")).isEnded()).isTrue();
  }

  @Test
  void roundTripsThroughJsonAndIgnoresWhatItCannotRead() {
    JobState state =
        JobState.submitted(
            J1, 1, "gpt-image-1", "gpt-image-1.5: breaker_open", "task-1", 0, NOW, "w1");
    assertThat(StateCodec.decode(StateCodec.encode(state))).isEqualTo(state);
    assertThat(new String(StateCodec.encode(state), StandardCharsets.UTF_8))
        .contains("\"task_id\":\"task-1\"");
    assertThat(StateCodec.decode("not json".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(StateCodec.decode(null)).isNull();
  }
}
