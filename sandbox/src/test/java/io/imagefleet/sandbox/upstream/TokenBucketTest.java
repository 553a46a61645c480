package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.sandbox.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final TokenBucket bucket = new TokenBucket(clock);

  @Test
  void startsFullWithOneSecondsWorthThenRefusesEveryRequestUntilATokenGrowsBack() {
    for (int i = 0; i < 20; i++) {
      assertThat(bucket.tryTake(20)).as("request %d", i).isEmpty();
    }
    // Empty: a burst of refusals, each saying how long until the next token (1/20 s).
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake(20)).contains(Duration.ofMillis(50));
    }
    clock.advance(Duration.ofMillis(30));
    assertThat(bucket.tryTake(20)).contains(Duration.ofMillis(20));
    clock.advance(Duration.ofMillis(20));
    assertThat(bucket.tryTake(20)).isEmpty();
    assertThat(bucket.tryTake(20)).contains(Duration.ofMillis(50));
  }

  @Test
  void refusedRequestsTakeNothing() {
    assertThat(bucket.tryTake(2)).isEmpty();
    assertThat(bucket.tryTake(2)).isEmpty();
    for (int i = 0; i < 100; i++) {
      assertThat(bucket.tryTake(2)).isPresent();
    }
    clock.advance(Duration.ofMillis(500));
    assertThat(bucket.tryTake(2)).isEmpty();
  }

  @Test
  void refillsContinuouslyButNeverBeyondOneSecondsWorth() {
    for (int i = 0; i < 10; i++) {
      bucket.tryTake(10);
    }
    clock.advance(Duration.ofMinutes(5));
    int taken = 0;
    while (bucket.tryTake(10).isEmpty()) {
      taken++;
    }
    assertThat(taken).isEqualTo(10);
  }

  @Test
  void holdsAtLeastOneTokenBelowOnePerSecond() {
    assertThat(TokenBucket.capacity(0.5)).isEqualTo(1);
    assertThat(bucket.tryTake(0.5)).isEmpty();
    assertThat(bucket.tryTake(0.5)).contains(Duration.ofSeconds(2));
    clock.advance(Duration.ofMillis(1500));
    assertThat(bucket.tryTake(0.5)).contains(Duration.ofMillis(500));
  }

  @Test
  void aLoweredRateLowersWhatTheBucketHolds() {
    assertThat(bucket.tryTake(100)).isEmpty();
    clock.advance(Duration.ofSeconds(1)); // a hundred tokens again
    int taken = 0;
    while (bucket.tryTake(3).isEmpty()) {
      taken++;
    }
    assertThat(taken).isEqualTo(3);
  }

  @Test
  void aClockSteppingBackRefillsNothing() {
    assertThat(bucket.tryTake(1)).isEmpty();
    clock.advance(Duration.ofSeconds(-10));
    assertThat(bucket.tryTake(1)).contains(Duration.ofSeconds(1));
  }

  @Test
  void rejectsRatesThatAreNotPositive() {
    assertThatThrownBy(() -> bucket.tryTake(0)).hasMessageContaining("perSecond must be > 0");
    assertThatThrownBy(() -> bucket.tryTake(Double.NaN)).hasMessageContaining("perSecond");
  }

  @Test
  void concurrentRequestsNeverTakeMoreThanTheBucketHolds() throws Exception {
    AtomicInteger taken = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < 8_000; i++) {
        pool.execute(
            () -> {
              Optional<Duration> refused = bucket.tryTake(500);
              if (refused.isEmpty()) {
                taken.incrementAndGet();
              }
            });
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(taken).hasValue(500); // the clock stood still: exactly the one second's worth
  }
}
