package io.imagefleet.cli;

import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates one tenant's topics and grants ACLs through the admin API. The jobs topic is created
 * last: the workers subscribe to it by pattern, and once they see it they copy the tenant's events
 * to topics that must already exist.
 */
final class TenantTopicSetup {
  private static final long WEEK_MS = 7L * 24 * 3600 * 1000;

  private TenantTopicSetup() {}

  /**
   * Creates what is missing of {@code tenant}'s topics; returns the names created. The jobs topic
   * gets the state topic's partition count when that topic exists (a job's state goes to the state
   * partition numbered like its record's), else {@code partitions}.
   */
  static List<String> ensure(
      Properties client,
      TenantTopics topics,
      String tenant,
      int partitions,
      short replicationFactor) {
    try (Admin admin = Admin.create(client)) {
      Set<String> existing = admin.listTopics().names().get();
      int jobsPartitions = partitions;
      if (existing.contains(Topics.JOB_STATE)) {
        jobsPartitions =
            admin
                .describeTopics(List.of(Topics.JOB_STATE))
                .allTopicNames()
                .get()
                .get(Topics.JOB_STATE)
                .partitions()
                .size();
      }
      Map<String, String> week = Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(WEEK_MS));
      List<NewTopic> wanted = new ArrayList<>();
      wanted.add(
          new NewTopic(topics.events(tenant), jobsPartitions, replicationFactor).configs(week));
      wanted.add(new NewTopic(topics.callbacks(tenant), jobsPartitions, replicationFactor));
      wanted.add(new NewTopic(topics.control(tenant), 1, replicationFactor).configs(week));
      List<String> created = new ArrayList<>();
      for (NewTopic t : wanted) {
        create(admin, existing, t, created);
      }
      create(
          admin,
          existing,
          new NewTopic(topics.jobs(tenant), jobsPartitions, replicationFactor).configs(week),
          created);
      return created;
    } catch (ExecutionException e) {
      throw new UserError(
          "cannot create the topics of " + tenant + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while creating topics");
    }
  }

  private static void create(
      Admin admin, Set<String> existing, NewTopic topic, List<String> created)
      throws ExecutionException, InterruptedException {
    if (!existing.contains(topic.name())) {
      admin.createTopics(List.of(topic)).all().get();
      created.add(topic.name());
    }
  }

  /** Grants {@code acls} (granting one that exists changes nothing). */
  static void grant(Properties client, List<AclBinding> acls) {
    try (Admin admin = Admin.create(client)) {
      admin.createAcls(acls).all().get();
    } catch (ExecutionException e) {
      throw new UserError("cannot grant the ACLs: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while granting ACLs");
    }
  }
}
