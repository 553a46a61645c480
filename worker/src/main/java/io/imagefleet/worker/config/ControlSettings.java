package io.imagefleet.worker.config;

import io.imagefleet.contracts.Topics;
import java.time.Duration;
import java.util.List;

/**
 * Cancel requests: where they are read from and what each worker remembers of them.
 *
 * @param topic the shared control topic ({@code topics.control}); a tenant's own control topic is
 *     this name followed by {@code .<tenant>}
 * @param rememberFor how long after its {@code requested_at} a cancel still reaches jobs; also how
 *     far back a starting worker reads the control topics
 * @param maxRemembered the most cancels one worker keeps in memory (jobs, prefixes and tenants'
 *     "all queued" together); past it the oldest is forgotten first
 * @param applyTimeout the longest a job waits, before its first task creation, for the control
 *     topics to be read up to the moment the job was read; past it the job goes on
 */
public record ControlSettings(
    String topic, Duration rememberFor, int maxRemembered, Duration applyTimeout) {
  static final Key TOPIC = Key.of("topics.control", Topics.JOB_CONTROL);
  static final Key REMEMBER_FOR = Key.of("control.remember-for", "7d");
  static final Key MAX_REMEMBERED = Key.of("control.max-remembered", "100000");
  static final Key APPLY_TIMEOUT = Key.of("control.apply-timeout", "30s");
  static final List<Key> KEYS = List.of(TOPIC, REMEMBER_FOR, MAX_REMEMBERED, APPLY_TIMEOUT);

  public ControlSettings {
    Checks.notBlank(TOPIC, topic);
    Checks.positive(REMEMBER_FOR, rememberFor);
    Checks.positive(MAX_REMEMBERED, maxRemembered);
    Checks.positive(APPLY_TIMEOUT, applyTimeout);
  }

  public static ControlSettings defaults() {
    return new ControlSettings(
        Topics.JOB_CONTROL, Duration.ofDays(7), 100_000, Duration.ofSeconds(30));
  }

  static ControlSettings from(ConfigReader r) {
    return new ControlSettings(
        r.string(TOPIC),
        r.duration(REMEMBER_FOR),
        r.integer(MAX_REMEMBERED),
        r.duration(APPLY_TIMEOUT));
  }
}
