package io.imagefleet.bench.harness;

import io.imagefleet.bench.harness.EventsReader.DeadLetter;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Money;
import io.imagefleet.contracts.StatusEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the events of a known batch of jobs tell: where each job stands, which event ended it (the
 * first terminal one; any later one is a duplicate, which the fleet must never publish), dead
 * letters, images, cost and which worker ended each job. Events of other jobs are ignored.
 *
 * <p>Fed by an {@link EventsReader}'s thread and read by the thread that runs the batch: every
 * method holds the tally's lock, and {@link #awaitChange} lets that thread wait for the next event.
 */
public final class Tally implements EventsReader.Listener<StatusEvent> {
  private final Set<String> expected;
  private final Map<String, StatusEvent> latest = new HashMap<>();
  private final Map<String, StatusEvent> endings = new HashMap<>();
  private int duplicateEndings;
  private int deadLetters;

  public Tally(Set<String> expected) {
    this.expected = Set.copyOf(expected);
  }

  @Override
  public void onEvent(StatusEvent event) {
    record(event);
  }

  @Override
  public synchronized void onDeadLetter(DeadLetter letter) {
    deadLetters++;
    notifyAll();
  }

  /** Records an event; true when it is the first terminal event of an expected job. */
  public synchronized boolean record(StatusEvent e) {
    if (!expected.contains(e.jobId())) {
      return false;
    }
    notifyAll();
    if (endings.containsKey(e.jobId())) {
      // After its end a job stands where its first terminal event put it, whatever comes later.
      if (e.isTerminal()) {
        duplicateEndings++;
      }
      return false;
    }
    latest.put(e.jobId(), e);
    if (e.isTerminal()) {
      endings.put(e.jobId(), e);
      return true;
    }
    return false;
  }

  /** Waits until the next event or dead letter arrives, or {@code max} has passed. */
  public synchronized void awaitChange(Duration max) throws InterruptedException {
    wait(Math.max(1, max.toMillis()));
  }

  public int expectedCount() {
    return expected.size();
  }

  public synchronized boolean allEnded() {
    return endings.size() == expected.size();
  }

  public synchronized int endedCount() {
    return endings.size();
  }

  /** Terminal events beyond the first of each job. */
  public synchronized int duplicateEndings() {
    return duplicateEndings;
  }

  public synchronized int deadLetters() {
    return deadLetters;
  }

  /** Jobs by the status of their latest event (of their first terminal one, once they ended). */
  public synchronized Map<JobStatus, Integer> byStatus() {
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    latest.values().forEach(e -> counts.merge(e.status(), 1, Integer::sum));
    return counts;
  }

  /** Ended jobs by their error code, in the codes' order. */
  public synchronized Map<String, Integer> failureCodes() {
    Map<String, Integer> codes = new TreeMap<>();
    endings.values().stream()
        .filter(e -> e.error() != null)
        .forEach(e -> codes.merge(e.error().code(), 1, Integer::sum));
    return codes;
  }

  public synchronized int images() {
    return endings.values().stream().mapToInt(e -> e.images().size()).sum();
  }

  public synchronized long imageBytes() {
    return endings.values().stream()
        .flatMap(e -> e.images().stream())
        .mapToLong(i -> i.bytes())
        .sum();
  }

  /**
   * What the ended jobs cost, in US dollars; format it with {@link io.imagefleet.contracts.Money}.
   */
  public synchronized BigDecimal cost() {
    return endings.values().stream()
        .map(StatusEvent::costUsd)
        .filter(amount -> amount != null && Money.isSummable(amount))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  public synchronized long tokens() {
    return endings.values().stream()
        .filter(e -> e.usage() != null)
        .mapToLong(e -> e.usage().totalTokens())
        .sum();
  }

  /** Jobs ended per worker id, in the ids' order. */
  public synchronized Map<String, Integer> jobsPerWorker() {
    Map<String, Integer> workers = new TreeMap<>();
    endings.values().forEach(e -> workers.merge(e.workerId(), 1, Integer::sum));
    return workers;
  }

  /** The jobs not ended yet whose latest event the worker {@code workerId} published. */
  public synchronized Set<String> inFlightOn(String workerId) {
    Set<String> jobs = new HashSet<>();
    latest.forEach(
        (job, e) -> {
          if (!e.isTerminal() && workerId.equals(e.workerId())) {
            jobs.add(job);
          }
        });
    return jobs;
  }

  /** Each ended job's first terminal event, by job id. */
  public synchronized Map<String, StatusEvent> endings() {
    return Map.copyOf(endings);
  }
}
