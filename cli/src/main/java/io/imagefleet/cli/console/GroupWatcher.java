package io.imagefleet.cli.console;

import io.imagefleet.cli.redrive.RedriveProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What two consumer groups say, asked through the Admin API every {@link #EVERY} on a thread of its
 * own, into the {@link FleetView}: which worker owns which partitions (heartbeats carry only a
 * count), from the workers' group; and which dead letters were redriven, from the redrive group's
 * committed offsets, which the CLI's {@code dlq redrive} moves as well as the console. A workers'
 * group that does not exist (no worker started yet) is shown as such; an unanswered question keeps
 * the last answer.
 */
final class GroupWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupWatcher.class);
  static final Duration EVERY = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Admin admin;
  private final String group;
  private final String redriveGroup;
  private final String deadLetterTopic;
  private final FleetView fleet;
  private final ConsoleFeed.Publisher publisher;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-group");
            t.setDaemon(true);
            return t;
          });

  GroupWatcher(
      Properties client,
      String group,
      String redriveGroup,
      String deadLetterTopic,
      FleetView fleet,
      ConsoleFeed.Publisher publisher) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "imagefleet-console-admin");
    this.admin = Admin.create(p);
    this.group = group;
    this.redriveGroup = redriveGroup;
    this.deadLetterTopic = deadLetterTopic;
    this.fleet = fleet;
    this.publisher = publisher;
  }

  void start() {
    scheduler.scheduleWithFixedDelay(this::refresh, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    refreshRedriven();
    refreshMembers();
    publisher.publish("fleet", Map.of("group", group));
  }

  private void refreshRedriven() {
    try {
      Map<Integer, RedriveProgress> byPartition = new TreeMap<>();
      admin
          .listConsumerGroupOffsets(redriveGroup)
          .partitionsToOffsetAndMetadata()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .forEach(
              (tp, committed) -> {
                if (tp.topic().equals(deadLetterTopic) && committed != null) {
                  byPartition.put(tp.partition(), RedriveProgress.of(committed));
                }
              });
      fleet.redriveProgress(byPartition);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | RuntimeException e) {
      log.debug("cannot read the redrive group {}'s offsets", redriveGroup, e);
    }
  }

  private void refreshMembers() {
    try {
      ConsumerGroupDescription d =
          admin
              .describeConsumerGroups(
                  List.of(group),
                  new DescribeConsumerGroupsOptions().timeoutMs((int) TIMEOUT.toMillis()))
              .all()
              .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
              .get(group);
      List<FleetView.Member> members = new ArrayList<>();
      for (MemberDescription m : d.members()) {
        Map<String, List<Integer>> owned = new TreeMap<>();
        for (TopicPartition tp : m.assignment().topicPartitions()) {
          owned.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        owned.values().forEach(l -> l.sort(Integer::compare));
        members.add(new FleetView.Member(workerId(m.clientId()), m.host(), owned));
      }
      fleet.group(new FleetView.Group(group, d.groupState().toString(), members));
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        fleet.group(new FleetView.Group(group, "no such group", List.of()));
      } else {
        log.debug("cannot describe group {}", group, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      log.debug("cannot describe group {}", group, e);
    }
  }

  /** Workers name their consumer "<worker id>-intake" (KafkaClientProperties). */
  static String workerId(String clientId) {
    return clientId.endsWith("-intake")
        ? clientId.substring(0, clientId.length() - "-intake".length())
        : clientId;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    admin.close(Duration.ofSeconds(5));
  }
}
