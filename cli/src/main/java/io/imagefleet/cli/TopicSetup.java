package io.imagefleet.cli;

import io.imagefleet.bench.harness.EventsReader;
import io.imagefleet.contracts.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates missing fleet topics through the admin API. */
final class TopicSetup {
  private TopicSetup() {}

  record Layout(
      String jobs, String events, String deadLetters, int partitions, short replicationFactor) {
    /** What a reader of the fleet's output reads. */
    EventsReader.Topics eventTopics() {
      return new EventsReader.Topics(events, partitions, deadLetters);
    }

    /**
     * The worker settings that name these topics, with the run's own state and heartbeat topics.
     */
    Map<String, String> workerTopics(String state, String workers) {
      return Map.of(
          "topics.jobs",
          jobs,
          "topics.events",
          events,
          "topics.dead-letters",
          deadLetters,
          "topics.state",
          state,
          "topics.workers",
          workers);
    }
  }

  /**
   * Waits until every partition of new topics has a leader: producing into a partition whose
   * leadership is still settling only makes clients retry (and, on an overloaded broker, can trip
   * the idempotent producer's sequence checks).
   */
  private static void awaitLeaders(Admin admin, List<String> topics)
      throws ExecutionException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (haveLeaders(admin, topics)) {
        return;
      }
      Thread.sleep(100); // a CLI setting up topics; no job waits on this thread
    }
    throw new UserError(
        "new topics " + topics + " still have partitions without a leader after 30 s");
  }

  private static boolean haveLeaders(Admin admin, List<String> topics)
      throws ExecutionException, InterruptedException {
    try {
      return admin.describeTopics(topics).allTopicNames().get().values().stream()
          .allMatch(
              t ->
                  t.partitions().stream()
                      .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    } catch (ExecutionException e) {
      // Just created: a broker whose metadata has not caught up with the controller yet does not
      // know the topics, which is "not ready yet", not a failure.
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  /** Creates what is missing; returns the names created. */
  static List<String> ensure(Properties client, Layout layout) {
    try (Admin admin = Admin.create(client)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> wanted = new ArrayList<>();
      // Jobs are kept long enough to replay a week of work.
      wanted.add(
          new NewTopic(layout.jobs(), layout.partitions(), layout.replicationFactor())
              .configs(
                  Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000))));
      wanted.add(new NewTopic(layout.events(), layout.partitions(), layout.replicationFactor()));
      wanted.add(
          new NewTopic(layout.deadLetters(), 1, layout.replicationFactor())
              .configs(
                  Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000))));
      // Worker heartbeats for `imagefleet status`: compacted (key = worker id), one partition is
      // plenty.
      wanted.add(
          new NewTopic(Topics.WORKERS, 1, layout.replicationFactor())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      // What workers learn about routes, shared by the fleet: compacted (key = lane), and one
      // partition so every worker applies every change in the same order.
      wanted.add(
          new NewTopic(Topics.ROUTE_HEALTH, 1, layout.replicationFactor())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      // Callback delivery outcomes, keyed by job id like the events.
      wanted.add(new NewTopic(Topics.CALLBACKS, layout.partitions(), layout.replicationFactor()));
      // Callbacks owed and their progress, keyed by webhook-id: the latest step of each delivery
      // is kept, and a week bounds the topic (a delivery's whole schedule is far shorter).
      wanted.add(
          new NewTopic(Topics.CALLBACKS_OWED, layout.partitions(), layout.replicationFactor())
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG,
                      TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                      TopicConfig.RETENTION_MS_CONFIG,
                      String.valueOf(7L * 24 * 3600 * 1000))));
      // The budget ledger, keyed by tenant: a log of deltas (not compactable); decisions need this
      // month's.
      wanted.add(
          new NewTopic(Topics.BUDGETS, Math.min(layout.partitions(), 6), layout.replicationFactor())
              .configs(
                  Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(40L * 24 * 3600 * 1000))));
      // Cancel requests: every worker reads it whole, so one partition; kept as long as workers
      // remember a cancel (control.remember-for), for a job published late or a worker starting.
      wanted.add(
          new NewTopic(Topics.JOB_CONTROL, 1, layout.replicationFactor())
              .configs(
                  Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000))));
      // The console's audit log: read whole by every console page, so one partition; kept as long
      // as the dead letters it speaks of.
      wanted.add(
          new NewTopic(Topics.CONSOLE_ACTIONS, 1, layout.replicationFactor())
              .configs(
                  Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000))));
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
        awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (ExecutionException e) {
      throw new UserError("cannot create topics: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while creating topics");
    }
  }
}
