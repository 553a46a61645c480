package io.imagefleet.worker.config;

import io.imagefleet.contracts.Topics;

/**
 * The topics one worker reads and writes.
 *
 * @param state the compacted job-state topic: same partition count as {@code jobs}, checked at start
 */
public record TopicNames(String jobs, String events, String deadLetters, String state) {
  public TopicNames {
    Checks.notBlank("topics.jobs", jobs);
    Checks.notBlank("topics.events", events);
    Checks.notBlank("topics.dead-letters", deadLetters);
    Checks.notBlank("topics.state", state);
  }

  public static TopicNames defaults() {
    return new TopicNames(Topics.JOBS, Topics.JOB_EVENTS, Topics.DEAD_LETTERS, Topics.JOB_STATE);
  }
}
