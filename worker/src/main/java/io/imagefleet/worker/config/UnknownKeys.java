package io.imagefleet.worker.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Refuses configuration keys the worker does not read, so that a typo ({@code intake.max-inflight})
 * stops the start instead of leaving the default in force unnoticed. A key is known when a {@link
 * Key} names it or a {@link KeyPattern} matches it ({@link WorkerConfig#KEYS}, {@link
 * WorkerConfig#PATTERNS}); an unknown one is named with the known key closest to it by edit
 * distance, when one is close.
 *
 * <p>An {@code IMAGEFLEET_*} variable is the worker's when its name starts like the variable of a
 * key ({@code IMAGEFLEET_INTAKE_...}, {@code IMAGEFLEET_ROUTES_...}) or is close to one; others
 * ({@code IMAGEFLEET_LOG_FORMAT}, {@code IMAGEFLEET_JAVA_OPTS}, the tools' own) belong to someone
 * else and are left alone. One of the worker's that sets no key is refused like a mistyped key.
 */
final class UnknownKeys {
  private static final String DOCS = "every key: docs/configuration.md";

  /** Beyond this many edits a known key is no longer offered as the one meant. */
  private static final int MOST_EDITS = 4;

  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(MOST_EDITS);

  private UnknownKeys() {}

  /**
   * Throws a {@link ConfigException} naming every unknown key of the file and every variable of the
   * worker's that sets no key; {@code setsAKey} says whether a variable sets one.
   */
  static void check(Set<String> fileKeys, Set<String> variables, Predicate<String> setsAKey) {
    List<String> problems = new ArrayList<>();
    new TreeSet<>(fileKeys)
        .stream()
            .filter(key -> !isKnown(key))
            .forEach(
                key -> problems.add(unknown(key, "is not a configuration key", closestKey(key))));
    new TreeSet<>(variables)
        .stream()
            .filter(name -> name.startsWith(Key.ENV_PREFIX) && !setsAKey.test(name))
            .forEach(
                name -> {
                  Optional<String> closest = closestVariable(name);
                  if (closest.isPresent() || isInTheWorkersSections(name)) {
                    problems.add(unknown(name, "sets no configuration key", closest));
                  }
                });
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("; ", problems) + " (" + DOCS + ")");
    }
  }

  static boolean isKnown(String key) {
    return WorkerConfig.KEYS.stream().anyMatch(k -> k.name().equals(key))
        || WorkerConfig.PATTERNS.stream().anyMatch(p -> p.matches(key));
  }

  private static String unknown(String name, String what, Optional<String> closest) {
    return name + " " + what + closest.map(c -> ": did you mean " + c + "?").orElse("");
  }

  /** The known key nearest to {@code key}: a declared one, or a pattern filled in from it. */
  static Optional<String> closestKey(String key) {
    Stream<String> declared = WorkerConfig.KEYS.stream().map(Key::name);
    Stream<String> filled =
        WorkerConfig.PATTERNS.stream()
            .flatMap(p -> p.filledFrom(key).stream())
            .filter(k -> !k.equals(key));
    return closest(key, Stream.concat(declared, filled));
  }

  private static Optional<String> closestVariable(String name) {
    return closest(name, WorkerConfig.KEYS.stream().map(Key::envName));
  }

  private static Optional<String> closest(String name, Stream<String> candidates) {
    return candidates
        .distinct()
        .filter(c -> DISTANCE.apply(name, c) >= 0)
        .min(Comparator.comparingInt((String c) -> DISTANCE.apply(name, c)).thenComparing(c -> c));
  }

  /** Whether the variable starts like those of the worker's keys: IMAGEFLEET_INTAKE_, ... */
  private static boolean isInTheWorkersSections(String name) {
    return Stream.concat(
            WorkerConfig.KEYS.stream().map(Key::name),
            WorkerConfig.PATTERNS.stream().map(KeyPattern::text))
        .map(key -> key.substring(0, key.indexOf('.')))
        .map(section -> Key.ENV_PREFIX + section.toUpperCase(Locale.ROOT).replace('-', '_') + "_")
        .anyMatch(name::startsWith);
  }
}
