package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {
  private final PartitionOffsets offsets = new PartitionOffsets(new TopicPartition("jobs", 0));

  @Test
  void commitsNothingBeforeAnyRecord() {
    assertThat(offsets.committable()).isEqualTo(-1);
    assertThat(offsets.hasNewCommit()).isFalse();
  }

  @Test
  void commitsOnlyTheContiguousCompletedPrefix() {
    for (long o = 10; o <= 14; o++) {
      offsets.track(o);
    }
    offsets.complete(11);
    offsets.complete(13);
    assertThat(offsets.committable())
        .isEqualTo(10); // 10 still running: nothing past it may be committed

    offsets.complete(10);
    assertThat(offsets.committable()).isEqualTo(12);

    offsets.complete(12);
    assertThat(offsets.committable()).isEqualTo(14);

    offsets.complete(14);
    assertThat(offsets.committable()).isEqualTo(15);
    assertThat(offsets.inFlightCount()).isZero();
  }

  @Test
  void reportsANewCommitOnlyWhenThePrefixMoved() {
    offsets.track(0);
    offsets.track(1);
    offsets.complete(0);
    assertThat(offsets.hasNewCommit()).isTrue();
    offsets.markCommitted(offsets.committable());
    assertThat(offsets.hasNewCommit()).isFalse();

    offsets.complete(1);
    assertThat(offsets.hasNewCommit()).isTrue();
  }

  @Test
  void forgetsAFailedCommitSoItIsSentAgain() {
    offsets.track(5);
    offsets.complete(5);
    offsets.markCommitted(offsets.committable());
    offsets.forgetCommit();
    assertThat(offsets.hasNewCommit()).isTrue();
  }
}
