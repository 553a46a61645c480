package io.imagefleet.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenantLanesTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aTenantWhoseWorkHangsHoldsOnlyItsShareAndOthersGoOn() throws Exception {
    TenantLanes lanes = new TenantLanes(pool, 2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger tarpitRunning = new AtomicInteger();
    AtomicInteger tarpitMostAtOnce = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      lanes.run(
          "tarpit",
          () -> {
            tarpitMostAtOnce.accumulateAndGet(tarpitRunning.incrementAndGet(), Math::max);
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            tarpitRunning.decrementAndGet();
            return null;
          });
    }
    CompletableFuture<?>[] others = new CompletableFuture<?>[20];
    for (int i = 0; i < others.length; i++) {
      others[i] = lanes.run("catalog", () -> "done");
    }
    CompletableFuture.allOf(others).get(5, TimeUnit.SECONDS);
    assertThat(tarpitMostAtOnce.get()).isEqualTo(2);

    release.countDown();
    CompletableFuture<String> last = lanes.run("tarpit", () -> "later");
    assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo("later");
  }

  @Test
  void anExceptionCompletesTheResultAndFreesTheLane() throws Exception {
    TenantLanes lanes = new TenantLanes(pool, 1);
    CompletableFuture<Object> broken =
        lanes.run(
            "t",
            () -> {
              throw new IllegalStateException("boom");
            });
    assertThat(broken).failsWithin(5, TimeUnit.SECONDS);
    assertThat(lanes.run("t", () -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
  }
}
