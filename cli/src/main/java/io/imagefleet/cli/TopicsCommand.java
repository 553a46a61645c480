package io.imagefleet.cli;

import io.imagefleet.contracts.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet topics}: creates the fleet's topics with sensible partition counts. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description =
        "Creates the jobs, events, dead-letter, worker-heartbeat, callbacks and budgets topics"
            + " (existing topics are left alone).")
final class TopicsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = "--partitions",
      defaultValue = "24",
      description =
          "Partitions of the jobs and events topics: the most workers that can share the work.")
  int partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description = "Replication factor (use 3 in production).")
  short replicationFactor;

  @Option(
      names = "--jobs-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.JOBS,
      description = "Jobs topic to create (the workers' topics.jobs).")
  String jobsTopic;

  @Option(
      names = "--events-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic to create (topics.events).")
  String eventsTopic;

  @Option(
      names = "--dlq-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.DEAD_LETTERS,
      description = "Dead-letter topic to create (topics.dead-letters).")
  String dlqTopic;

  @Override
  public Integer call() {
    var created =
        TopicSetup.ensure(
            kafka.connect(),
            new TopicSetup.Layout(jobsTopic, eventsTopic, dlqTopic, partitions, replicationFactor));
    created.forEach(t -> System.out.println("created " + t));
    System.out.println("topics ready: " + jobsTopic + ", " + eventsTopic + ", " + dlqTopic);
    return 0;
  }
}
