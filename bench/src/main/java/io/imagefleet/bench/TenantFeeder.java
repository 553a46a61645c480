package io.imagefleet.bench;

import io.imagefleet.contracts.TenantTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Publishes a {@link TenantLoad} through the benchmark's one {@link JobFeeder}: the busy tenant's
 * batch at once on its jobs topic, then, once the delay since its first job has passed, the quiet
 * tenant's on its own. Each job names the tenant of its topic (a job naming another fails {@code
 * tenant_mismatch}).
 */
final class TenantFeeder {
  private TenantFeeder() {}

  /**
   * What was published, each batch's {@code created_at} by job id.
   *
   * @param busy the busy tenant's batch
   * @param quiet the second batch (the quiet tenant's, or the busy one's again)
   */
  record Published(Map<String, Instant> busy, Map<String, Instant> quiet) {
    Published {
      busy = Map.copyOf(busy);
      quiet = Map.copyOf(quiet);
    }

    Map<String, Instant> all() {
      Map<String, Instant> all = new HashMap<>(busy);
      all.putAll(quiet);
      return all;
    }
  }

  static Published feed(
      JobFeeder feeder, TenantTopics topics, TenantLoad load, String runId, int images) {
    Map<String, Instant> busy =
        feeder.feed(
            topics.jobs(TenantLoad.BUSY),
            TenantLoad.BUSY,
            runId + "-busy",
            load.busyJobs(),
            images,
            "");
    Instant first = busy.values().stream().min(Instant::compareTo).orElseThrow();
    waitUntil(first.plus(load.quietDelay()));
    Map<String, Instant> quiet =
        feeder.feed(
            topics.jobs(load.quietTenant()),
            load.quietTenant(),
            runId + "-quiet",
            load.quietJobs(),
            images,
            "");
    return new Published(busy, quiet);
  }

  private static void waitUntil(Instant moment) {
    long millis = Duration.between(Instant.now(), moment).toMillis();
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
