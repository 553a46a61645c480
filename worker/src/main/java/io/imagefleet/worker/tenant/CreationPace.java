package io.imagefleet.worker.tenant;

import io.imagefleet.worker.config.FairShareSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Holds each tenant with {@code tenants.<t>.max-creations-per-second} to that many job starts per
 * second on this worker (a token bucket holding at most one second's worth, and at least one
 * start). A job makes at most one paid creation when it starts, so starts bound creations; a tenant
 * out of starts keeps its records in Kafka until its next start is due. Owned by the intake thread.
 */
public final class CreationPace {
  private final FairShareSettings settings;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public CreationPace(FairShareSettings settings) {
    this.settings = settings;
  }

  /** Whether {@code lane} may start a job at {@code now}. */
  public boolean mayStart(String lane, Instant now) {
    Bucket b = bucket(lane, now);
    return b == null || b.tokens >= 1;
  }

  /** Counts one start of {@code lane} at {@code now}. */
  public void started(String lane, Instant now) {
    Bucket b = bucket(lane, now);
    if (b != null) {
      b.tokens -= 1;
    }
  }

  /** The bucket of a paced lane, refilled up to {@code now}; null for a lane without a pace. */
  private Bucket bucket(String lane, Instant now) {
    if (lane.equals(FairShare.SHARED_LANE)) {
      return null;
    }
    var rate = settings.of(lane).maxStartsPerSecond();
    if (rate.isEmpty()) {
      return null;
    }
    double perSecond = rate.getAsDouble();
    double burst = Math.max(1, perSecond);
    Bucket b = buckets.computeIfAbsent(lane, l -> new Bucket(burst, now));
    double seconds = Math.max(0, Duration.between(b.at, now).toNanos() / 1e9);
    b.tokens = Math.min(burst, b.tokens + seconds * perSecond);
    b.at = now;
    return b;
  }

  private static final class Bucket {
    double tokens;
    Instant at;

    Bucket(double tokens, Instant at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
