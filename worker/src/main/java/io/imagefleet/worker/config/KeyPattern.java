package io.imagefleet.worker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A family of configuration keys no {@link Key} constant can list, because part of the name is a
 * route index, a tenant, a host or a Kafka property: {@code routes.<n>.model}, {@code
 * callbacks.secret.<tenant>}, {@code kafka.*}. Written as docs/configuration.md writes its pattern
 * rows: {@code <...>} stands for one dot-free part (or, ending the pattern, for a host name's
 * dotted parts too), {@code *} for anything. The settings record that reads such keys declares
 * their patterns in its {@code PATTERNS}, next to its {@code KEYS}; {@link WorkerConfig#PATTERNS}
 * gathers them, so a key is known when a {@link Key} names it or a pattern matches it.
 */
record KeyPattern(String text) {
  private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>|\\*");

  KeyPattern {
    if (!PLACEHOLDER.matcher(text).find()) {
      throw new IllegalArgumentException("not a pattern: " + text);
    }
  }

  static KeyPattern of(String text) {
    return new KeyPattern(text);
  }

  /** The patterns {@code prefix + suffix} for each suffix, e.g. every key of a route. */
  static List<KeyPattern> each(String prefix, List<String> suffixes) {
    return suffixes.stream().map(suffix -> of(prefix + suffix)).toList();
  }

  boolean matches(String key) {
    return key.matches(regex());
  }

  /**
   * This pattern filled in with the parts of {@code key} at the placeholders' places, as the key a
   * mistyped {@code key} may have meant: {@code routes.1.modle} gives {@code routes.1.model} for
   * {@code routes.<n>.model}. Empty for {@code *} patterns (they match every key under them) and
   * for a key with fewer parts than the pattern.
   */
  Optional<String> filledFrom(String key) {
    if (text.contains("*")) {
      return Optional.empty();
    }
    String[] patternParts = text.split("\\.", -1);
    String[] keyParts = key.split("\\.", -1);
    if (keyParts.length < patternParts.length) {
      return Optional.empty();
    }
    List<String> filled = new ArrayList<>();
    for (int i = 0; i < patternParts.length; i++) {
      filled.add(patternParts[i].contains("<") ? keyParts[i] : patternParts[i]);
    }
    return Optional.of(String.join(".", filled));
  }

  private String regex() {
    StringBuilder regex = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(text);
    int from = 0;
    while (m.find()) {
      regex.append(Pattern.quote(text.substring(from, m.start())));
      boolean endsThePattern = m.end() == text.length();
      regex.append(m.group().equals("*") || endsThePattern ? ".+" : "[^.]+");
      from = m.end();
    }
    return regex.append(Pattern.quote(text.substring(from))).toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
