package io.imagefleet.cli.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.worker.callback.OwedCallback;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Callback deliveries as the callbacks-owed topic tells them: the latest state of each, newest
 * change last, at most {@code maxDeliveries} (the one changed longest ago leaves first). A delivery
 * is shown by its destination's host only: the URL's path and query may hold the receiver's token,
 * and the body is the job's event, shown elsewhere.
 *
 * <p>Written by the feed thread, read by the HTTP threads: every method holds this object's lock,
 * and what leaves it is immutable.
 */
final class CallbackView {
  /** Rows a page shows: the newest changes; the counts cover every delivery kept. */
  static final int SHOWN = 100;

  private final int maxDeliveries;
  private final LinkedHashMap<String, Delivery> deliveries = new LinkedHashMap<>();

  CallbackView(int maxDeliveries) {
    if (maxDeliveries <= 0) {
      throw new IllegalArgumentException("maxDeliveries must be > 0, but was " + maxDeliveries);
    }
    this.maxDeliveries = maxDeliveries;
  }

  /** One delivery as a page sees it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Delivery(
      String jobId,
      String tenant,
      String host,
      OwedCallback.State state,
      int attempts,
      Integer httpStatus,
      String error,
      Instant nextAttemptAt,
      Instant updatedAt,
      String workerId) {
    static Delivery of(OwedCallback c) {
      return new Delivery(
          c.jobId(),
          c.tenant(),
          hostOf(c.url()),
          c.state(),
          c.attempts(),
          c.httpStatus(),
          c.error(),
          c.nextAttemptAt(),
          c.updatedAt(),
          c.workerId());
    }
  }

  /** Deliveries kept, by state, and the newest changes first. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Callbacks(Map<OwedCallback.State, Integer> states, List<Delivery> latest) {}

  /** The latest record of delivery {@code webhookId}; null (a tombstone) forgets it. */
  synchronized void record(String webhookId, OwedCallback latest) {
    deliveries.remove(webhookId);
    if (latest != null) {
      deliveries.put(webhookId, Delivery.of(latest));
    }
    Iterator<Delivery> eldest = deliveries.values().iterator();
    while (deliveries.size() > maxDeliveries) {
      eldest.next();
      eldest.remove();
    }
  }

  /** The deliveries {@code viewer} may see. */
  synchronized Callbacks snapshot(Viewer viewer) {
    Map<OwedCallback.State, Integer> states = new TreeMap<>();
    List<Delivery> oldestFirst = new ArrayList<>(deliveries.values());
    List<Delivery> newestFirst = new ArrayList<>(Math.min(SHOWN, oldestFirst.size()));
    for (int i = oldestFirst.size() - 1; i >= 0; i--) {
      Delivery d = oldestFirst.get(i);
      if (!viewer.sees(d.tenant())) {
        continue;
      }
      states.merge(d.state(), 1, Integer::sum);
      if (newestFirst.size() < SHOWN) {
        newestFirst.add(d);
      }
    }
    return new Callbacks(Map.copyOf(states), List.copyOf(newestFirst));
  }

  /** The destination's host, or null when the URL is not one. */
  static String hostOf(String url) {
    try {
      return url == null ? null : URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
