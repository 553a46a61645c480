package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.state.PartitionStates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What a transaction takes from its partitions, and what an abort or a commit does with it. */
class CommitBatchTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private final AssignedPartition p0 =
      new AssignedPartition(new TopicPartition("jobs", 0), new PartitionStates());

  @Test
  void aDeadLetterWaitsForTheOffsetThatPassesItsRecord() {
    p0.track(0);
    p0.track(1);
    p0.answered(1, null, letter("bad"));

    CommitBatch first = CommitBatch.take(List.of(p0));
    assertThat(first.letters()).as("offset 0 still runs: the letter may not go yet").isEmpty();
    assertThat(first.offsets().get(p0.partition()).offset()).isZero();

    p0.answered(0, ending("job-0"), null);
    CommitBatch second = CommitBatch.take(List.of(p0));
    assertThat(second.letters()).hasSize(1);
    assertThat(second.endings()).extracting(e -> e.event().jobId()).containsExactly("job-0");
    assertThat(second.offsets().get(p0.partition()).offset()).isEqualTo(2);
  }

  @Test
  void anAbortedBatchGoesFirstInTheNextOne() {
    p0.track(0);
    p0.track(1);
    p0.answered(0, ending("job-0"), null);
    CommitBatch aborted = CommitBatch.take(List.of(p0));
    p0.answered(1, ending("job-1"), null);
    aborted.putBack();

    CommitBatch next = CommitBatch.take(List.of(p0));
    assertThat(next.endings()).extracting(e -> e.event().jobId()).containsExactly("job-0", "job-1");
    assertThat(next.offsets().get(p0.partition()).offset()).isEqualTo(2);
  }

  @Test
  void aCommittedBatchRemembersTheEndedAttemptsAndMovesTheOffset() {
    p0.track(0);
    p0.track(1);
    p0.answered(0, ending("job-0"), null);
    p0.answered(1, JobEnding.answer(event("keyed-wrong", JobStatus.FAILED)), null);
    CommitBatch batch = CommitBatch.take(List.of(p0));
    List<String> answered = new ArrayList<>();
    List<String> reasons = new ArrayList<>();

    batch.committed(NOW, 100, e -> answered.add(e.event().jobId()), reasons::add);

    assertThat(answered).containsExactly("job-0", "keyed-wrong");
    assertThat(p0.stateOf(new JobIdentity("catalog", "job-0")).isEnded()).isTrue();
    assertThat(p0.stateOf(new JobIdentity("catalog", "keyed-wrong")))
        .as("an answer ends no attempt")
        .isNull();
    assertThat(CommitBatch.wouldCarry(List.of(p0))).as("nothing new since").isFalse();
  }

  private static JobEnding ending(String jobId) {
    return new JobEnding(event(jobId, JobStatus.SUCCEEDED), null);
  }

  private static StatusEvent event(String jobId, JobStatus status) {
    return TestEvents.terminal(jobId, status, NOW, "w1");
  }

  private static ProducerRecord<byte[], byte[]> letter(String reason) {
    ProducerRecord<byte[], byte[]> letter =
        new ProducerRecord<>("jobs.dlq", new byte[0], new byte[0]);
    letter.headers().add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    return letter;
  }
}
