package io.imagefleet.worker.config;

import io.imagefleet.contracts.Topics;

/** The topics one worker reads and writes. */
public record TopicNames(String jobs, String events, String deadLetters) {
  public TopicNames {
    Checks.notBlank("topics.jobs", jobs);
    Checks.notBlank("topics.events", events);
    Checks.notBlank("topics.dead-letters", deadLetters);
  }

  public static TopicNames defaults() {
    return new TopicNames(Topics.JOBS, Topics.JOB_EVENTS, Topics.DEAD_LETTERS);
  }
}
