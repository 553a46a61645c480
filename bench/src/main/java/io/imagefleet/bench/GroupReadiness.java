package io.imagefleet.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * Waits until a contender's consumer group is stable with every member in and every partition
 * assigned, so that the batch starts when the contender can take it: start-up and group join are
 * not part of the measured time.
 */
final class GroupReadiness {
  private GroupReadiness() {}

  static void await(Admin admin, String group, int members, int partitions, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = "not described yet";
    while (Instant.now().isBefore(deadline)) {
      try {
        ConsumerGroupDescription d =
            admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        int assigned =
            d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
        if (d.groupState() == GroupState.STABLE
            && d.members().size() == members
            && assigned == partitions) {
          return;
        }
        last =
            d.groupState()
                + ", "
                + d.members().size()
                + " member(s), "
                + assigned
                + " partition(s) assigned";
      } catch (ExecutionException e) {
        last = e.getCause().toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      pause();
    }
    throw new IllegalStateException(
        "consumer group " + group + " not ready within " + timeout + ": " + last);
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
