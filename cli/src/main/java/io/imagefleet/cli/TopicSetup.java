package io.imagefleet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates missing fleet topics through the admin API. */
final class TopicSetup {
  private TopicSetup() {}

  record Layout(String jobs, String events, String deadLetters, int partitions, short replicationFactor) {}

  /** Creates what is missing; returns the names created. */
  static List<String> ensure(Properties client, Layout layout) {
    try (Admin admin = Admin.create(client)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> wanted = new ArrayList<>();
      // Jobs are kept long enough to replay a week of work.
      wanted.add(new NewTopic(layout.jobs(), layout.partitions(), layout.replicationFactor())
          .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000))));
      wanted.add(new NewTopic(layout.events(), layout.partitions(), layout.replicationFactor()));
      wanted.add(new NewTopic(layout.deadLetters(), 1, layout.replicationFactor())
          .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000))));
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
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
