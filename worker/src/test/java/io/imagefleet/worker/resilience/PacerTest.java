package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacerTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Pacer pacer = new Pacer(scheduler, System::nanoTime);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void withoutALimitEveryCallStartsAtOnce() {
    List<CompletableFuture<Void>> permits = permits(50);

    assertThat(permits).allMatch(CompletableFuture::isDone);
  }

  @Test
  void callsNeverStartFasterThanTheRateAndStartInArrivalOrder() {
    pacer.rate(100);
    long start = System.nanoTime();
    List<Long> order = new ArrayList<>();
    List<CompletableFuture<Void>> permits = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      int n = i;
      permits.add(pacer.permit().thenRun(() -> record(order, n)));
    }

    CompletableFuture.allOf(permits.toArray(CompletableFuture[]::new)).join();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(95));
    assertThat(order).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  void aSlowerRateAppliesToCallsAlreadyWaiting() {
    pacer.rate(10);
    pacer.permit().join();
    List<CompletableFuture<Void>> waiting = permits(3);
    pacer.rate(2); // after a 429: the queued calls slow down too
    long start = System.nanoTime();

    CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).join();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(900));
  }

  @Test
  void aCooldownHoldsEveryCallUntilItEnds() {
    pacer.coolUntil(System.nanoTime() + ms(300).toNanos());
    assertThat(pacer.isCooling()).isTrue();

    CompletableFuture<Void> permit = pacer.permit();

    assertThat(permit).isNotDone();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(permit::isDone);
    assertThat(pacer.isCooling()).isFalse();
  }

  @Test
  void aCallGivenUpWhileWaitingTakesNoStartOfThePace() {
    pacer.rate(2);
    pacer.permit().join();
    AtomicBoolean wanted = new AtomicBoolean(true);
    CompletableFuture<Boolean> givenUp = pacer.permit(wanted::get);
    CompletableFuture<Boolean> next = pacer.permit(() -> true);
    wanted.set(false); // its job was handed over while it waited

    // The next start, half a second on, goes to the call still wanted.
    assertThat(next.orTimeout(5, TimeUnit.SECONDS).join()).isTrue();
    assertThat(givenUp).isCompletedWithValue(false);
    assertThat(pacer.waiting()).isZero();
  }

  private List<CompletableFuture<Void>> permits(int n) {
    List<CompletableFuture<Void>> permits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      permits.add(pacer.permit());
    }
    return permits;
  }

  private static synchronized void record(List<Long> order, long n) {
    order.add(n);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
