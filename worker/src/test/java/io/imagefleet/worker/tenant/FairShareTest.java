package io.imagefleet.worker.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.worker.config.FairShareSettings;
import io.imagefleet.worker.config.FairShareSettings.TenantShare;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FairShareTest {
  private static final TenantTopics TOPICS = TenantTopics.defaults();

  private static TenantShare weight(double weight) {
    return new TenantShare(weight, false, OptionalInt.empty(), OptionalDouble.empty());
  }

  private static TenantShare urgent() {
    return new TenantShare(1, true, OptionalInt.empty(), OptionalDouble.empty());
  }

  private static TenantShare capped(int maxInFlight) {
    return new TenantShare(1, false, OptionalInt.of(maxInFlight), OptionalDouble.empty());
  }

  private static FairShare shares(Map<String, TenantShare> tenants) {
    return new FairShare(new FairShareSettings(true, 0.5, 1, tenants), TOPICS);
  }

  /** Fills {@code capacity} slots one by one as the fair share chooses, all lanes waiting. */
  private static Map<String, Integer> fill(
      FairShare shares, int capacity, Map<String, Integer> inFlight, Set<String> waiting) {
    Map<String, Integer> running = new HashMap<>(inFlight);
    while (running.values().stream().mapToInt(Integer::intValue).sum() < capacity) {
      var next = shares.next(capacity, running, waiting);
      if (next.isEmpty()) {
        break;
      }
      running.merge(next.get(), 1, Integer::sum);
    }
    return running;
  }

  @Test
  void fillsAnEmptyWorkerInProportionToTheWeights() {
    FairShare shares = shares(Map.of("a", weight(3), "b", weight(1)));

    assertThat(fill(shares, 8, Map.of(), Set.of("a", "b")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 6, "b", 2));
    assertThat(fill(shares, 40, Map.of(), Set.of("a", "b")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 30, "b", 10));
  }

  @Test
  void aFreedSlotGoesToTheLaneFurthestBelowItsShare() {
    FairShare shares = shares(Map.of("a", weight(3), "b", weight(1)));

    assertThat(shares.next(8, Map.of("a", 5, "b", 2), Set.of("a", "b"))).contains("a");
    assertThat(shares.next(8, Map.of("a", 6, "b", 1), Set.of("a", "b"))).contains("b");
  }

  @Test
  void aLaneWithNothingWaitingLendsItsShareAndTakesItBackAsJobsEnd() {
    FairShare shares = shares(Map.of("a", weight(3), "b", weight(1)));

    Map<String, Integer> lent = fill(shares, 8, Map.of(), Set.of("b"));
    assertThat(lent).as("work-conserving: b takes every slot").containsEntry("b", 8);

    // a has work again: every slot b frees goes to a until a is back to its share.
    Map<String, Integer> running = new HashMap<>(lent);
    for (int ended = 0; ended < 8; ended++) {
      running.merge("b", -1, Integer::sum);
      running.merge(shares.next(8, running, Set.of("a", "b")).orElseThrow(), 1, Integer::sum);
    }
    assertThat(running).containsEntry("a", 6).containsEntry("b", 2);
  }

  @Test
  void keepsTheSplitWhileJobsEndInAnyOrder() {
    FairShare shares = shares(Map.of("a", weight(3), "b", weight(1)));
    Map<String, Integer> running = fill(shares, 40, Map.of(), Set.of("a", "b"));
    Random random = new Random(21);
    for (int i = 0; i < 10_000; i++) {
      String ends = random.nextInt(40) < running.get("a") ? "a" : "b";
      running.merge(ends, -1, Integer::sum);
      running.merge(shares.next(40, running, Set.of("a", "b")).orElseThrow(), 1, Integer::sum);
      assertThat(running.get("a")).as("a's in-flight after %d endings", i).isEqualTo(30);
    }
  }

  @Test
  void unequalWeightsOfSeveralLanesAreAllHonoured() {
    FairShare shares = shares(Map.of("a", weight(2), "b", weight(1), "c", weight(0.5)));

    assertThat(fill(shares, 45, Map.of(), Set.of("a", "b", "c", "d")))
        .as("d has no entry: weight 1")
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 20, "b", 10, "c", 5, "d", 10));
  }

  @Test
  void aLaneOfTinyWeightWithNothingRunningStillTakesTheNextSlot() {
    FairShare shares = shares(Map.of("big", weight(1_000), "tiny", weight(0.01)));

    assertThat(shares.next(10, Map.of("big", 9), Set.of("big", "tiny"))).contains("tiny");
    assertThat(shares.next(10, Map.of("big", 8, "tiny", 1), Set.of("big", "tiny"))).contains("big");
  }

  @Test
  void aLaneAtItsOwnCapTakesNoMoreAndItsShareGoesToTheOthers() {
    FairShare shares = shares(Map.of("a", capped(2)));

    assertThat(fill(shares, 10, Map.of(), Set.of("a", "b")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 2, "b", 8));
    assertThat(shares.next(10, Map.of("a", 2), Set.of("a")))
        .as("nothing else waits: the slot stays free")
        .isEmpty();
    assertThat(shares.isAtCap("a", 1)).isFalse();
    assertThat(shares.isAtCap("a", 2)).isTrue();
    assertThat(shares.isAtCap("b", 1_000)).isFalse();
  }

  @Test
  void urgentWorkGoesFirstUpToItsShareAndTheRestKeepsTheOtherPart() {
    FairShare shares = shares(Map.of("rush", urgent()));

    Map<String, Integer> full = fill(shares, 10, Map.of(), Set.of("rush", "bulk"));
    assertThat(full).containsExactlyInAnyOrderEntriesOf(Map.of("rush", 5, "bulk", 5));
    assertThat(shares.next(10, Map.of("bulk", 9), Set.of("rush", "bulk")))
        .as("a freed slot of a full backlog goes to urgent work first")
        .contains("rush");
    assertThat(shares.next(10, Map.of("rush", 5, "bulk", 4), Set.of("rush", "bulk")))
        .as("urgent work at its share: the rest takes the slot")
        .contains("bulk");
  }

  @Test
  void urgentWorkAloneMayUseTheWholeCapacityAndSoMayTheRest() {
    FairShare shares = shares(Map.of("rush", urgent()));

    assertThat(fill(shares, 10, Map.of(), Set.of("rush"))).containsEntry("rush", 10);
    assertThat(fill(shares, 10, Map.of(), Set.of("bulk"))).containsEntry("bulk", 10);
  }

  @Test
  void theUrgentShareIsConfigurable() {
    FairShare shares =
        new FairShare(new FairShareSettings(true, 0.2, 1, Map.of("rush", urgent())), TOPICS);

    assertThat(fill(shares, 10, Map.of(), Set.of("rush", "bulk")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("rush", 2, "bulk", 8));
  }

  @Test
  void theSharedTopicIsOneLaneWithItsOwnWeight() {
    FairShare shares =
        new FairShare(new FairShareSettings(true, 0.5, 3, Map.of("team-a", weight(1))), TOPICS);

    assertThat(shares.laneOf("imagefleet.jobs.v1")).isEqualTo(FairShare.SHARED_LANE);
    assertThat(shares.laneOf(TOPICS.jobs("team-a"))).isEqualTo("team-a");
    assertThat(shares.weight(FairShare.SHARED_LANE)).isEqualTo(3);
    assertThat(fill(shares, 8, Map.of(), Set.of(FairShare.SHARED_LANE, "team-a")))
        .containsExactlyInAnyOrderEntriesOf(Map.of(FairShare.SHARED_LANE, 6, "team-a", 2));
  }

  @Test
  void nothingWaitingMeansNothingToStart() {
    assertThat(shares(Map.of()).next(8, Map.of(), Set.of())).isEmpty();
  }
}
