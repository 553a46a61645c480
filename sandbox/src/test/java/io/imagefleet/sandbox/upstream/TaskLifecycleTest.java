package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.sandbox.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskLifecycleTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TaskStore store = new TaskStore(new Chance(1), 10.0);

  @Test
  void movesFromPendingThroughProcessingToCompletedAsTimePasses() {
    SimTask task = create(Duration.ofSeconds(100), Optional.empty());

    assertThat(task.stateAt(clock.instant())).isEqualTo(new TaskState("pending", 0));
    clock.advance(Duration.ofSeconds(9));
    assertThat(task.stateAt(clock.instant())).isEqualTo(new TaskState("pending", 0));
    clock.advance(Duration.ofSeconds(1));
    assertThat(task.stateAt(clock.instant())).isEqualTo(new TaskState("processing", 10));
    clock.advance(Duration.ofSeconds(40));
    assertThat(task.stateAt(clock.instant())).isEqualTo(new TaskState("processing", 50));
    clock.advance(Duration.ofMillis(49_999));
    assertThat(task.stateAt(clock.instant())).isEqualTo(new TaskState("processing", 99));
    clock.advance(Duration.ofMillis(1));
    assertThat(task.stateAt(clock.instant())).isEqualTo(new TaskState("completed", 100));
    clock.advance(Duration.ofDays(3));
    assertThat(task.stateAt(clock.instant()).isCompleted()).isTrue();
  }

  @Test
  void progressNeverFallsWhileProcessing() {
    SimTask task = create(Duration.ofSeconds(37), Optional.empty());
    int last = -1;
    for (int i = 0; i < 400; i++) {
      TaskState state = task.stateAt(clock.instant());
      assertThat(state.progress()).isGreaterThanOrEqualTo(last);
      last = state.progress();
      clock.advance(Duration.ofMillis(100));
    }
    assertThat(last).isEqualTo(100);
  }

  @Test
  void failsWithItsCodeOnceThePlannedDurationHasPassed() {
    SimTask task = create(Duration.ofSeconds(10), Optional.of("content_policy_violation"));
    clock.advance(Duration.ofSeconds(5));
    assertThat(task.stateAt(clock.instant()).status()).isEqualTo("processing");
    clock.advance(Duration.ofSeconds(5));
    assertThat(task.stateAt(clock.instant())).isEqualTo(new TaskState("failed", 99));
  }

  @Test
  void zeroDurationTaskIsDoneAtOnce() {
    SimTask task = create(Duration.ZERO, Optional.empty());
    assertThat(task.stateAt(clock.instant()).isCompleted()).isTrue();
    assertThat(task.estimatedSeconds()).isZero();
  }

  @Test
  void estimatedTimeIsThePlannedDurationRoundedUpToSeconds() {
    assertThat(create(Duration.ofMillis(12_001), Optional.empty()).estimatedSeconds())
        .isEqualTo(13);
    assertThat(create(Duration.ofSeconds(12), Optional.empty()).estimatedSeconds()).isEqualTo(12);
  }

  @Test
  void idsLookLikeTheGatewaysAndAreFoundAgain() {
    SimTask task = create(Duration.ofSeconds(1), Optional.empty());
    assertThat(task.id())
        .matches("task-unified-" + clock.instant().getEpochSecond() + "-[a-z0-9]{10}");
    assertThat(TaskStore.isWellFormedId(task.id())).isTrue();
    assertThat(store.find(task.id())).containsSame(task);
    assertThat(TaskStore.isWellFormedId("task-123")).isFalse();
    assertThat(TaskStore.isWellFormedId("task-unified-1-ABC!")).isFalse();
  }

  @Test
  void tenThousandLiveTasksAreHeldAndQueried() {
    for (int i = 0; i < 10_000; i++) {
      create(Duration.ofSeconds(30 + i % 60), Optional.empty());
    }
    clock.advance(Duration.ofSeconds(45));
    long completed = 0;
    for (int i = 0; i < 10_000; i++) {
      // every task is looked up and its state computed, as a query would
      completed +=
          store
                  .find(
                      store
                          .create(
                              clock.instant(),
                              request(),
                              SimModel.named("gpt-image-1.5"),
                              Duration.ZERO,
                              Optional.empty(),
                              Optional.empty())
                          .id())
                  .orElseThrow()
                  .stateAt(clock.instant())
                  .isCompleted()
              ? 1
              : 0;
    }
    assertThat(store.size()).isEqualTo(20_000);
    assertThat(completed).isEqualTo(10_000);
  }

  private SimTask create(Duration planned, Optional<String> failCode) {
    return store.create(
        clock.instant(),
        request(),
        SimModel.named("gpt-image-1.5"),
        planned,
        failCode,
        Optional.empty());
  }

  private static CreateRequest request() {
    return new CreateRequest(
        "gpt-image-1.5",
        "a red fox",
        ImageSize.SQUARE,
        ImageQuality.HIGH,
        1,
        List.of(),
        Optional.empty());
  }
}
