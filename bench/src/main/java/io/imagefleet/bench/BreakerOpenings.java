package io.imagefleet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Circuit-breaker openings, counted from the workers' logs: the worker logs every breaker
 * transition (at WARN, which the contender JVMs keep), in Resilience4j's own words ("State
 * transition from CLOSED to OPEN"). Its metrics carry the breaker's current state, not the
 * transitions, so a breaker that opened and closed again between two scrapes would be missed there.
 */
final class BreakerOpenings {

  private static final Pattern TO_OPEN = Pattern.compile("State transition from \\w+ to OPEN\\b");

  private BreakerOpenings() {}

  /** Transitions to OPEN in these log files, all routes, all workers; missing files count 0. */
  static int count(List<Path> logs) {
    int openings = 0;
    for (Path log : logs) {
      if (!Files.exists(log)) {
        continue;
      }
      try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
        openings += (int) lines.filter(line -> TO_OPEN.matcher(line).find()).count();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + log, e);
      }
    }
    return openings;
  }
}
