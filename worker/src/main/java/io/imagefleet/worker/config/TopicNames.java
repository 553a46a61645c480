package io.imagefleet.worker.config;

import io.imagefleet.contracts.Topics;
import java.util.List;

/**
 * The topics one worker reads and writes.
 *
 * @param state the compacted job-state topic: same partition count as {@code jobs}, checked at
 *     start
 * @param routeHealth the compacted topic where workers share what they learn about routes (rates,
 *     cooldowns, a route down, spending stopped)
 */
public record TopicNames(
    String jobs, String events, String deadLetters, String state, String routeHealth) {
  static final Key JOBS = Key.of("topics.jobs", Topics.JOBS);
  static final Key EVENTS = Key.of("topics.events", Topics.JOB_EVENTS);
  static final Key DEAD_LETTERS = Key.of("topics.dead-letters", Topics.DEAD_LETTERS);
  static final Key STATE = Key.of("topics.state", Topics.JOB_STATE);
  static final Key ROUTE_HEALTH = Key.of("topics.route-health", Topics.ROUTE_HEALTH);
  static final List<Key> KEYS = List.of(JOBS, EVENTS, DEAD_LETTERS, STATE, ROUTE_HEALTH);

  public TopicNames {
    Checks.notBlank(JOBS, jobs);
    Checks.notBlank(EVENTS, events);
    Checks.notBlank(DEAD_LETTERS, deadLetters);
    Checks.notBlank(STATE, state);
    Checks.notBlank(ROUTE_HEALTH, routeHealth);
  }

  public static TopicNames defaults() {
    return new TopicNames(
        Topics.JOBS, Topics.JOB_EVENTS, Topics.DEAD_LETTERS, Topics.JOB_STATE, Topics.ROUTE_HEALTH);
  }

  static TopicNames from(ConfigReader r) {
    return new TopicNames(
        r.string(JOBS),
        r.string(EVENTS),
        r.string(DEAD_LETTERS),
        r.string(STATE),
        r.string(ROUTE_HEALTH));
  }
}
