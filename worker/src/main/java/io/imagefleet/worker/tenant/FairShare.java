package io.imagefleet.worker.tenant;

import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.worker.config.FairShareSettings;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whose waiting job a worker starts when a slot frees: one worker's in-flight capacity is
 * shared among the lanes that have work waiting, by weight. A lane is a tenant's own jobs topic, or
 * the shared jobs topic as one lane of its own ({@link #SHARED_LANE}), whose tenants are only
 * claimed by the records and so are not told apart.
 *
 * <p>The rule, each time a slot frees: among the lanes with work waiting and below their own cap,
 * urgent lanes come first while all urgent lanes together hold less than the urgent share of the
 * capacity; then the lane with the fewest jobs in flight per unit of weight. Starting always the
 * lane furthest below its share converges on in-flight counts proportional to the weights, and a
 * lane with nothing waiting is simply not asked, so its share goes to the others (work-conserving)
 * until it has work again, when it takes the next free slots until it is back to its share. Jobs
 * already running are never stopped for a share: shares are restored as jobs end.
 *
 * <p>Thread safe: its settings are immutable and its only state is a cache of each topic's lane; it
 * keeps no count of its own: the intake passes what runs.
 */
public final class FairShare {
  /** The lane of the shared jobs topic: {@code _} never occurs in a tenant's name. */
  public static final String SHARED_LANE = "_shared";

  private final FairShareSettings settings;
  private final TenantTopics topics;

  /**
   * Lanes by topic, as {@link #laneOf} found them: asked for every partition on every turn of the
   * intake loop and for every job; the topics are the worker's subscription, so few.
   */
  private final Map<String, String> laneByTopic = new ConcurrentHashMap<>();

  public FairShare(FairShareSettings settings, TenantTopics topics) {
    this.settings = settings;
    this.topics = topics;
  }

  /** Whether the worker shares at all; off, it takes records in the order it reads them. */
  public boolean enabled() {
    return settings.enabled();
  }

  /** The lane of a record read from {@code topic}: its tenant's, or the shared topic's. */
  public String laneOf(String topic) {
    return laneByTopic.computeIfAbsent(topic, t -> topics.tenantOfJobs(t).orElse(SHARED_LANE));
  }

  /** Whether {@code lane} already has as many jobs in flight as its own cap allows. */
  public boolean isAtCap(String lane, int inFlight) {
    if (lane.equals(SHARED_LANE)) {
      return false;
    }
    return settings.of(lane).maxInFlight().stream().anyMatch(cap -> inFlight >= cap);
  }

  /**
   * The lane whose oldest waiting job should start in the free slot, or empty when no lane with
   * work waiting may take more (each is at its cap).
   *
   * @param capacity the worker's in-flight cap in force now (the urgent share is a part of it)
   * @param inFlight jobs in flight per lane; a lane without an entry has none
   * @param waiting the lanes with work waiting that may start now (their pace allows it)
   */
  public Optional<String> next(int capacity, Map<String, Integer> inFlight, Set<String> waiting) {
    List<String> open =
        waiting.stream().filter(lane -> !isAtCap(lane, running(inFlight, lane))).toList();
    List<String> urgent = open.stream().filter(this::isUrgent).toList();
    List<String> others = open.stream().filter(lane -> !isUrgent(lane)).toList();
    List<String> tier;
    if (urgent.isEmpty() || others.isEmpty()) {
      tier = open; // one kind waits: it may use the whole capacity
    } else {
      int urgentRunning =
          inFlight.entrySet().stream()
              .filter(e -> isUrgent(e.getKey()))
              .mapToInt(Map.Entry::getValue)
              .sum();
      tier = urgentRunning < settings.urgentShare() * capacity ? urgent : others;
    }
    Comparator<String> furthestBelowShare =
        Comparator.<String>comparingDouble(lane -> running(inFlight, lane) / weight(lane))
            .thenComparing(Comparator.comparingDouble(this::weight).reversed())
            .thenComparing(Comparator.naturalOrder());
    return tier.stream().min(furthestBelowShare);
  }

  /** The lane's weight: its tenant's ({@code tenants.<t>.weight}) or the shared topic's. */
  public double weight(String lane) {
    return lane.equals(SHARED_LANE) ? settings.sharedTopicWeight() : settings.of(lane).weight();
  }

  private boolean isUrgent(String lane) {
    return !lane.equals(SHARED_LANE) && settings.of(lane).urgent();
  }

  private static int running(Map<String, Integer> inFlight, String lane) {
    return inFlight.getOrDefault(lane, 0);
  }
}
