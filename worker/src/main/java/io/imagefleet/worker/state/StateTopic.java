package io.imagefleet.worker.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure the job-state topic exists and is co-partitioned with the jobs topic: a job's state
 * lives in the partition with the same number as the job's record, so the owner of a jobs partition
 * restores exactly that state partition. A mismatch stops the worker: it would resume the wrong
 * jobs.
 */
public final class StateTopic {
  /** Keep job states as long as jobs: a replay within this window never pays twice. */
  static final long RETENTION_MS = 7L * 24 * 3600 * 1000;

  private StateTopic() {}

  /** Creates the state topic when missing; returns its partition count after checking it. */
  public static int ensure(Properties clientProperties, String jobsTopic, String stateTopic) {
    Properties p = new Properties();
    clientProperties.forEach(
        (k, v) -> {
          // config.providers* too: no client lists them, but they resolve secrets from files
          // (${dir:...}).
          if (AdminClientConfig.configNames().contains(String.valueOf(k))
              || String.valueOf(k).startsWith("config.providers")) {
            p.put(k, v);
          }
        });
    try (Admin admin = Admin.create(p)) {
      int jobs = partitions(admin, jobsTopic);
      try {
        admin
            .createTopics(
                List.of(
                    new NewTopic(stateTopic, jobs, (short) -1)
                        .configs(
                            Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT
                                    + ","
                                    + TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(RETENTION_MS)))))
            .all()
            .get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create the job-state topic " + stateTopic + ": " + e.getCause().getMessage(),
              e.getCause());
        }
      }
      int state = partitions(admin, stateTopic);
      if (state != jobs) {
        throw new IllegalStateException(
            "job-state topic "
                + stateTopic
                + " has "
                + state
                + " partitions but jobs topic "
                + jobsTopic
                + " has "
                + jobs
                + ": they must match (recreate the state topic, or point topics.state at one"
                + " with "
                + jobs
                + " partitions)");
      }
      return state;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking " + stateTopic, e);
    }
  }

  /**
   * The topic's partition count. A topic created a moment ago may not be known to every broker yet,
   * so "unknown topic" is asked again for a few seconds before it counts as missing.
   */
  private static int partitions(Admin admin, String topic) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      try {
        return admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get()
            .get(topic)
            .partitions()
            .size();
      } catch (ExecutionException e) {
        boolean unknown = e.getCause() instanceof UnknownTopicOrPartitionException;
        if (!unknown || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              unknown
                  ? "topic "
                      + topic
                      + " does not exist: create the fleet's topics first (bin/imagefleet topics"
                      + " -b <bootstrap servers>), or name an existing one in the topics.* keys"
                  : "cannot describe topic " + topic + ": " + e.getCause().getMessage(),
              e.getCause());
        }
        Thread.sleep(200); // worker start-up, before any job: waiting for topic metadata to spread
      }
    }
  }
}
