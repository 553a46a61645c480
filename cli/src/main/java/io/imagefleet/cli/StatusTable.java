package io.imagefleet.cli;

import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.resilience.Lane.LaneView;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Renders a {@link FleetSnapshot} as a compact table for a terminal. Pure: no I/O. */
final class StatusTable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private StatusTable() {}

  static String render(FleetSnapshot s) {
    StringBuilder out = new StringBuilder();
    out.append("imagefleet status ").append(STAMP.format(s.takenAt())).append('\n');
    out.append("group ")
        .append(s.group())
        .append(": ")
        .append(s.groupState())
        .append(", ")
        .append(s.members().size())
        .append(" member(s); jobs topic ")
        .append(s.jobsTopic())
        .append(": ")
        .append(s.lag().size())
        .append(" partition(s), lag ")
        .append(s.totalLag())
        .append('\n');
    out.append('\n');

    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("WORKER", "PARTITIONS", "LAG", "IN FLIGHT", "READY", "BREAKERS", "SEEN"));
    List<String> notes = new ArrayList<>();
    Map<String, FleetSnapshot.Worker> byId = new LinkedHashMap<>();
    s.workers().forEach(w -> byId.put(w.status().workerId(), w));
    List<String> shown = new ArrayList<>();
    for (FleetSnapshot.Member m : s.members()) {
      Optional<FleetSnapshot.Worker> w = workerOf(m, byId);
      w.ifPresent(x -> shown.add(x.status().workerId()));
      long lag =
          m.partitions().stream()
              .map(s.lag()::get)
              .filter(l -> l != null)
              .mapToLong(FleetSnapshot.Lag::value)
              .sum();
      rows.add(
          row(
              w.map(x -> x.status().workerId()).orElse(m.clientId()),
              ranges(m.partitions()),
              String.valueOf(lag),
              w,
              s.takenAt()));
      w.ifPresent(
          x ->
              x.status()
                  .notReadyReasons()
                  .forEach(r -> notes.add(x.status().workerId() + ": " + r)));
    }
    for (FleetSnapshot.Worker w : s.workers()) {
      if (!shown.contains(w.status().workerId())) {
        rows.add(row(w.status().workerId(), "(not in group)", "-", Optional.of(w), s.takenAt()));
        w.status().notReadyReasons().forEach(r -> notes.add(w.status().workerId() + ": " + r));
      }
    }
    if (rows.size() == 1) {
      out.append("no workers: the group has no members and no worker heartbeats were found\n");
    } else {
      out.append(table(rows));
    }
    notes.forEach(n -> out.append("  ! not ready: ").append(n).append('\n'));

    out.append(lanes(s));
    out.append(tenants(s));

    out.append('\n').append("LAG BY PARTITION (partition:records not yet committed)\n");
    List<String> cells =
        new TreeMap<>(s.lag())
            .entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().value()).toList();
    out.append(wrap(cells, 12));

    out.append('\n')
        .append("RECENT FAILURES (of the last ")
        .append(s.eventsScanned())
        .append(" events per partition)\n");
    if (s.recentFailures().isEmpty()) {
      out.append("  none\n");
    }
    for (StatusEvent e : s.recentFailures()) {
      JobError error = e.error();
      out.append("  ")
          .append(TIME.format(e.occurredAt()))
          .append("  ")
          .append(e.jobId())
          .append("  ")
          .append(e.tenant())
          .append("  ")
          .append(e.route() == null ? "-" : e.route())
          .append("  ")
          .append(error == null ? "?" : error.code())
          .append(
              error == null || error.message() == null ? "" : "  " + shorten(error.message(), 80))
          .append('\n');
    }
    return out.toString();
  }

  /**
   * Each lane of upstream calls across the fleet: the fleet's rate as the newest heartbeat tells
   * it, the 429s of every live worker added up, and whether the lane is cooling down or down.
   */
  static String lanes(FleetSnapshot s) {
    Map<String, LaneView> newest = new TreeMap<>();
    Map<String, Long> throttled = new TreeMap<>();
    Map<String, Integer> waiting = new TreeMap<>();
    s.workers().stream()
        .filter(FleetSnapshot.Worker::live)
        .sorted(Comparator.comparing(w -> w.status().updatedAt()))
        .forEach(
            w ->
                w.status()
                    .lanes()
                    .forEach(
                        lane -> {
                          newest.put(lane.lane(), lane);
                          throttled.merge(lane.lane(), lane.throttled(), Long::sum);
                          waiting.merge(lane.lane(), lane.waiting(), Integer::sum);
                        }));
    if (newest.isEmpty()) {
      return "";
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("LANE", "FLEET RATE/S", "429S", "WAITING", "STATE"));
    newest.forEach(
        (name, lane) ->
            rows.add(
                List.of(
                    name,
                    lane.fleetRate() > 0 ? String.format("%.1f", lane.fleetRate()) : "unlimited",
                    String.valueOf(throttled.get(name)),
                    String.valueOf(waiting.get(name)),
                    laneState(lane, s.takenAt()))));
    return "\n" + table(rows);
  }

  /**
   * Each tenant's jobs in flight and records read but waiting for a slot, added up over the live
   * workers (fair share divides each worker's capacity among them; {@code _shared} is the shared
   * jobs topic).
   */
  static String tenants(FleetSnapshot s) {
    Map<String, Integer> inFlight = new TreeMap<>();
    Map<String, Integer> waiting = new TreeMap<>();
    s.workers().stream()
        .filter(FleetSnapshot.Worker::live)
        .forEach(
            w -> {
              w.status().tenantsInFlight().forEach((t, n) -> inFlight.merge(t, n, Integer::sum));
              w.status().tenantsWaiting().forEach((t, n) -> waiting.merge(t, n, Integer::sum));
            });
    TreeMap<String, Integer> all = new TreeMap<>(inFlight);
    waiting.keySet().forEach(t -> all.putIfAbsent(t, 0));
    if (all.isEmpty()) {
      return "";
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("TENANT", "IN FLIGHT", "WAITING"));
    all.keySet()
        .forEach(
            t ->
                rows.add(
                    List.of(
                        t,
                        String.valueOf(inFlight.getOrDefault(t, 0)),
                        String.valueOf(waiting.getOrDefault(t, 0)))));
    return "\n" + table(rows);
  }

  private static String laneState(LaneView lane, Instant now) {
    if (lane.downUntil() != null && lane.downUntil().isAfter(now)) {
      return "down for " + age(Duration.between(now, lane.downUntil()));
    }
    if (lane.coolingUntil() != null && lane.coolingUntil().isAfter(now)) {
      return "cooling down for " + age(Duration.between(now, lane.coolingUntil()));
    }
    return "ok";
  }

  private static Optional<FleetSnapshot.Worker> workerOf(
      FleetSnapshot.Member m, Map<String, FleetSnapshot.Worker> byId) {
    // Workers name their consumer "<worker id>-intake" (KafkaClientProperties).
    String id =
        m.clientId().endsWith("-intake")
            ? m.clientId().substring(0, m.clientId().length() - 7)
            : m.clientId();
    return Optional.ofNullable(byId.get(id));
  }

  private static List<String> row(
      String name, String partitions, String lag, Optional<FleetSnapshot.Worker> w, Instant now) {
    if (w.isEmpty()) {
      return List.of(name, partitions, lag, "?", "?", "?", "no heartbeat");
    }
    var st = w.get().status();
    String breakers =
        st.breakers().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
    String seen =
        w.get().live()
            ? "live"
            : "heartbeat " + age(Duration.between(w.get().seenAt(), now)) + " ago";
    return List.of(
        name,
        partitions,
        lag,
        st.inFlight() + "/" + st.maxInFlight(),
        st.ready() ? "yes" : "NO",
        breakers.isEmpty() ? "-" : breakers,
        seen);
  }

  /** {@code [0,1,2,3,7,9,10]} -> {@code 0-3,7,9-10}. */
  static String ranges(List<Integer> partitions) {
    if (partitions.isEmpty()) {
      return "-";
    }
    List<Integer> sorted = partitions.stream().sorted().toList();
    List<String> parts = new ArrayList<>();
    int start = sorted.get(0);
    int prev = start;
    for (int i = 1; i <= sorted.size(); i++) {
      if (i < sorted.size() && sorted.get(i) == prev + 1) {
        prev = sorted.get(i);
        continue;
      }
      parts.add(start == prev ? String.valueOf(start) : start + "-" + prev);
      if (i < sorted.size()) {
        start = sorted.get(i);
        prev = start;
      }
    }
    return String.join(",", parts);
  }

  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
  }

  private static String table(List<List<String>> rows) {
    int[] width = new int[rows.get(0).size()];
    rows.forEach(
        r -> {
          for (int i = 0; i < r.size(); i++) {
            width[i] = Math.max(width[i], r.get(i).length());
          }
        });
    StringBuilder b = new StringBuilder();
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        line.append(String.format("%-" + width[i] + "s", r.get(i)));
        if (i < r.size() - 1) {
          line.append("  ");
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  private static String wrap(List<String> cells, int perLine) {
    if (cells.isEmpty()) {
      return "  (topic not found)\n";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i += perLine) {
      b.append("  ")
          .append(String.join("  ", cells.subList(i, Math.min(cells.size(), i + perLine))))
          .append('\n');
    }
    return b.toString();
  }

  private static String shorten(String s, int max) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
  }
}
