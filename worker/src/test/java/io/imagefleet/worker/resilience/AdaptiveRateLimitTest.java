package io.imagefleet.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimitTest {
  private final StepScheduler scheduler = new StepScheduler();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void halvesOn429AndClimbsBackByATenthPerStep() {
    AdaptiveRateLimit limit = new AdaptiveRateLimit("route", 20, scheduler);
    limit.slowDown();
    assertThat(limit.currentLimit()).isEqualTo(10);
    limit.slowDown();
    limit.slowDown();
    limit.slowDown();
    limit.slowDown();
    assertThat(limit.currentLimit()).as("never below one call a second").isEqualTo(1);

    scheduler.step();
    assertThat(limit.currentLimit()).isEqualTo(3);
    for (int i = 0; i < 20; i++) {
      scheduler.step();
    }
    assertThat(limit.currentLimit()).as("never above the configured rate").isEqualTo(20);
    assertThat(limit.limiter().getRateLimiterConfig().getLimitForPeriod()).isEqualTo(20);
  }

  @Test
  void runsCallsWithinTheLimitAtOnceAndSchedulesTheRestWithoutBlocking() {
    AdaptiveRateLimit limit = new AdaptiveRateLimit("route", 2, scheduler);
    AtomicInteger ran = new AtomicInteger();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(limit.submit(() -> CompletableFuture.completedFuture(ran.incrementAndGet())));
    }
    assertThat(ran)
        .as("two permits this second; the third waits on the scheduler, not on this thread")
        .hasValue(2);
    assertThat(calls.get(2).orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(3);
  }

  /** Runs one-off tasks for real; the recovery task runs only when the test steps it. */
  private static final class StepScheduler extends ScheduledThreadPoolExecutor {
    private final List<Runnable> periodic = new ArrayList<>();

    StepScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable task, long initialDelay, long delay, TimeUnit unit) {
      periodic.add(task);
      return null;
    }

    void step() {
      periodic.forEach(Runnable::run);
    }
  }
}
