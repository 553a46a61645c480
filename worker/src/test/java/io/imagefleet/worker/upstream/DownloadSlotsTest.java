package io.imagefleet.worker.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DownloadSlotsTest {
  private final List<CompletableFuture<String>> started = new ArrayList<>();
  private final DownloadSlots slots = new DownloadSlots(2, Runnable::run);

  @Test
  void startsNoMoreThanTheBoundAndTheNextWhenOneEnds() {
    CompletableFuture<String> a = slots.run(this::download);
    CompletableFuture<String> b = slots.run(this::download);
    CompletableFuture<String> c = slots.run(this::download);
    assertThat(started).hasSize(2);
    assertThat(slots.busy()).isEqualTo(2);

    started.get(0).complete("a");
    assertThat(a).isCompletedWithValue("a");
    assertThat(started).as("the waiting download took the freed slot").hasSize(3);
    assertThat(slots.busy()).isEqualTo(2);

    started.get(1).completeExceptionally(new IllegalStateException("broken"));
    started.get(2).complete("c");
    assertThat(b).isCompletedExceptionally();
    assertThat(c).isCompletedWithValue("c");
    assertThat(slots.busy()).isZero();
  }

  @Test
  void aDownloadThatThrowsFreesItsSlot() {
    CompletableFuture<String> thrown =
        slots.run(
            () -> {
              throw new IllegalArgumentException("bad link");
            });
    assertThat(thrown).isCompletedExceptionally();
    assertThat(slots.busy()).isZero();
  }

  private CompletableFuture<String> download() {
    CompletableFuture<String> f = new CompletableFuture<>();
    started.add(f);
    return f;
  }
}
