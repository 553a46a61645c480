package io.imagefleet.cli.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class RedriveProgressTest {

  @Test
  void nothingCommittedMeansNothingRedriven() {
    RedriveProgress none = RedriveProgress.of(null);
    assertThat(none.covers(0)).isFalse();
    assertThat(none.toCommit()).isEqualTo(new OffsetAndMetadata(0, ""));
  }

  @Test
  void aLetterRedrivenSinglyIsRememberedAboveTheCommittedOffset() {
    RedriveProgress p = RedriveProgress.of(new OffsetAndMetadata(3, "")).withSingle(7);
    assertThat(p.covers(2)).as("passed by a CLI run").isTrue();
    assertThat(p.covers(7)).isTrue();
    assertThat(p.covers(5)).isFalse();
    OffsetAndMetadata committed = p.toCommit();
    assertThat(committed.offset()).isEqualTo(3);
    assertThat(RedriveProgress.of(committed)).isEqualTo(p);
  }

  @Test
  void theCommittedOffsetMovesOnOverLettersRedrivenWithoutAGap() {
    RedriveProgress p =
        RedriveProgress.of(new OffsetAndMetadata(3, "")).withSingle(4).withSingle(5);
    assertThat(p.withSingle(3)).isEqualTo(new RedriveProgress(6, new TreeSet<>()));
  }

  @Test
  void aCliRunPassingOverSinglesForgetsThem() {
    RedriveProgress p =
        RedriveProgress.of(new OffsetAndMetadata(0, "")).withSingle(4).withSingle(9);
    RedriveProgress after = p.passedTo(6);
    assertThat(after.next()).isEqualTo(6);
    assertThat(after.singles()).containsExactly(9L);
    assertThat(after.covers(9)).isTrue();
  }

  @Test
  void refusesMoreSinglesThanTheMetadataHolds() {
    RedriveProgress p = RedriveProgress.of(null);
    for (long i = 1; i <= RedriveProgress.MAX_SINGLES; i++) {
      p = p.withSingle(i * 2);
    }
    assertThat(p.toCommit().metadata().length()).isLessThan(4096);
    RedriveProgress full = p;
    assertThatThrownBy(() -> full.withSingle(100_000)).hasMessageContaining("dlq redrive");
  }
}
