package io.imagefleet.sandbox.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code [sim:...]} markers in a prompt ask the simulator to do (grammar in {@link
 * UpstreamSimulator}). Parsed once per create call.
 *
 * @param createFault answer the first N create calls carrying this exact prompt with a fault
 * @param queryFault answer the first N queries of each task made from this prompt with a fault
 * @param failCode the task ends {@code failed} with this task error code
 * @param duration the task's planned run time, instead of a draw from the knobs
 * @param badResults the completed task's {@code results} are broken this way ({@link #BAD_RESULTS})
 */
record PromptScript(
    Optional<ScriptedFault> createFault,
    Optional<ScriptedFault> queryFault,
    Optional<String> failCode,
    Optional<Duration> duration,
    Optional<String> badResults) {

  static final PromptScript NONE =
      new PromptScript(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * {@code nohost}: links without a host ({@code http:///files/...}); {@code missing}: one link too
   * few.
   */
  static final List<String> BAD_RESULTS = List.of("nohost", "missing");

  private static final Pattern MARKER = Pattern.compile("\\[sim:([^\\]]*)\\]");
  private static final Pattern FAULT = Pattern.compile("(\\d{3}|hang|lost)(?:x(\\d{1,6}))?");

  boolean isEmpty() {
    return this.equals(NONE);
  }

  /**
   * Parses every marker in the prompt.
   *
   * @throws IllegalArgumentException naming the bad directive
   */
  static PromptScript parse(String prompt) {
    Matcher marker = MARKER.matcher(prompt);
    Optional<ScriptedFault> create = Optional.empty();
    Optional<ScriptedFault> query = Optional.empty();
    Optional<String> fail = Optional.empty();
    Optional<Duration> duration = Optional.empty();
    Optional<String> badResults = Optional.empty();
    OptionalInt retryAfter = OptionalInt.empty();
    boolean any = false;
    while (marker.find()) {
      any = true;
      for (String directive : marker.group(1).split(",")) {
        String d = directive.trim();
        if (d.isEmpty()) {
          continue;
        }
        int eq = d.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(
              "simulator marker directive '" + d + "' needs key=value");
        }
        String key = d.substring(0, eq).trim();
        String value = d.substring(eq + 1).trim();
        switch (key) {
          case "create" -> create = Optional.of(fault(key, value));
          case "query" -> query = Optional.of(fault(key, value));
          case "fail" -> fail = Optional.of(failCode(value));
          case "duration" -> duration = Optional.of(duration(value));
          case "retry-after" -> retryAfter = OptionalInt.of(seconds(value));
          case "results" -> badResults = Optional.of(badResults(value));
          default ->
              throw new IllegalArgumentException(
                  "unknown simulator marker key '"
                      + key
                      + "'; known keys are create, query, fail, duration, retry-after, results");
        }
      }
    }
    if (!any) {
      return NONE;
    }
    if (retryAfter.isPresent()) {
      int seconds = retryAfter.getAsInt();
      create = create.map(f -> f.withRetryAfter(seconds));
      query = query.map(f -> f.withRetryAfter(seconds));
    }
    return new PromptScript(create, query, fail, duration, badResults);
  }

  private static String badResults(String value) {
    if (!BAD_RESULTS.contains(value)) {
      throw new IllegalArgumentException(
          "simulator marker results=" + value + " must be one of " + BAD_RESULTS);
    }
    return value;
  }

  private static ScriptedFault fault(String key, String value) {
    Matcher m = FAULT.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "simulator marker " + key + "=" + value + " must look like 503x2, 429 or hangx1");
    }
    FaultKind kind =
        FaultKind.fromMarker(m.group(1))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "simulator marker "
                            + key
                            + "="
                            + value
                            + ": fault must be one of 402, 429, 500, 502, 503, hang"
                            + ("create".equals(key) ? ", lost" : "")));
    if (kind == FaultKind.LOST && !"create".equals(key)) {
      throw new IllegalArgumentException(
          "simulator marker "
              + key
              + "="
              + value
              + ": only a task creation's answer can be lost; use create=lost");
    }
    int times = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    if (times < 1) {
      throw new IllegalArgumentException(
          "simulator marker " + key + "=" + value + ": count must be >= 1");
    }
    return new ScriptedFault(kind, times, OptionalInt.empty());
  }

  private static String failCode(String value) {
    if (!TaskErrorCodes.isKnown(value)) {
      throw new IllegalArgumentException(
          "simulator marker fail="
              + value
              + ": unknown task error code; known "
              + "codes are "
              + TaskErrorCodes.all());
    }
    return value;
  }

  private static Duration duration(String value) {
    try {
      return DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "simulator marker duration=" + value + ": " + e.getMessage());
    }
  }

  private static int seconds(String value) {
    try {
      int seconds =
          Integer.parseInt(value.endsWith("s") ? value.substring(0, value.length() - 1) : value);
      if (seconds < 0) {
        throw new NumberFormatException();
      }
      return seconds;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "simulator marker retry-after=" + value + " must be a whole number of seconds");
    }
  }
}
