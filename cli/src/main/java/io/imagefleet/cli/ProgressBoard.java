package io.imagefleet.cli;

import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.Money;
import io.imagefleet.contracts.StatusEvent;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Tallies status events of a known set of jobs: where each job stands, images, cost, failure codes
 * and which worker ended each job. Fed by one thread.
 */
final class ProgressBoard {
  private final Set<String> expected;
  private final Map<String, JobStatus> latest = new HashMap<>();
  private final Map<String, StatusEvent> terminal = new HashMap<>();
  private int duplicateTerminals;

  ProgressBoard(Set<String> expected) {
    this.expected = Set.copyOf(expected);
  }

  /** Records an event; returns true when it is the first terminal event of an expected job. */
  boolean record(StatusEvent e) {
    if (!expected.contains(e.jobId())) {
      return false;
    }
    if (e.isTerminal()) {
      if (terminal.putIfAbsent(e.jobId(), e) != null) {
        duplicateTerminals++;
        return false;
      }
      latest.put(e.jobId(), e.status());
      return true;
    }
    if (!terminal.containsKey(e.jobId())) {
      latest.put(e.jobId(), e.status());
    }
    return false;
  }

  int expectedCount() {
    return expected.size();
  }

  boolean allTerminal() {
    return terminal.keySet().containsAll(expected);
  }

  int terminalCount() {
    return terminal.size();
  }

  int duplicateTerminals() {
    return duplicateTerminals;
  }

  Map<JobStatus, Integer> byStatus() {
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    latest.values().forEach(s -> counts.merge(s, 1, Integer::sum));
    return counts;
  }

  int images() {
    return terminal.values().stream().mapToInt(e -> e.images().size()).sum();
  }

  long imageBytes() {
    return terminal.values().stream().flatMap(e -> e.images().stream()).mapToLong(i -> i.bytes()).sum();
  }

  BigDecimal cost() {
    return terminal.values().stream().map(StatusEvent::costUsd).filter(c -> c != null)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  long tokens() {
    return terminal.values().stream().filter(e -> e.usage() != null).mapToLong(e -> e.usage().totalTokens()).sum();
  }

  Map<String, Integer> failureCodes() {
    Map<String, Integer> codes = new TreeMap<>();
    terminal.values().stream().filter(e -> e.error() != null).forEach(e -> codes.merge(e.error().code(), 1, Integer::sum));
    return codes;
  }

  Map<String, Integer> jobsPerWorker() {
    Map<String, Integer> workers = new TreeMap<>();
    terminal.values().forEach(e -> workers.merge(e.workerId(), 1, Integer::sum));
    return workers;
  }

  Map<String, StatusEvent> terminalEvents() {
    return Map.copyOf(terminal);
  }

  String line() {
    Map<JobStatus, Integer> s = byStatus();
    return String.format("%d/%d jobs ended | accepted %d, submitted %d, running %d | succeeded %d, failed %d | %d images | $%s",
        terminal.size(), expected.size(), s.getOrDefault(JobStatus.ACCEPTED, 0), s.getOrDefault(JobStatus.SUBMITTED, 0),
        s.getOrDefault(JobStatus.RUNNING, 0), s.getOrDefault(JobStatus.SUCCEEDED, 0), s.getOrDefault(JobStatus.FAILED, 0),
        images(), Money.format(cost()));
  }
}
