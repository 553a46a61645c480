package io.imagefleet.worker.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the upstream's task object, tolerating absent and unknown fields. */
final class TaskJson {
  /**
   * A task id is recorded in the job's state and events, whose size is budgeted; one far longer
   * than any gateway issues is an answer the worker cannot keep, not an id.
   */
  static final int MAX_TASK_ID_CHARS = 256;

  private TaskJson() {}

  static UpstreamTask parse(JsonNode task) {
    String id = task.path("id").asText(null);
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("task object without id");
    }
    if (id.length() > MAX_TASK_ID_CHARS) {
      throw new IllegalArgumentException(
          "task id of " + id.length() + " characters (at most " + MAX_TASK_ID_CHARS + ")");
    }
    // As sent: ResultCheck decides whether they can be used, so one bad link cannot fail the poll.
    List<String> results = new ArrayList<>();
    task.path("results")
        .forEach(link -> results.add(link.isTextual() ? link.asText() : link.toString()));
    JsonNode error = task.path("error");
    long estimate = task.path("task_info").path("estimated_time").asLong(0);
    return new UpstreamTask(
        id,
        TaskState.fromWire(task.path("status").asText(null)),
        task.path("progress").asInt(0),
        Duration.ofSeconds(Math.max(0, estimate)),
        results,
        usage(task.path("usage")),
        error.isObject() ? error.path("code").asText(null) : null,
        error.isObject() ? error.path("message").asText(null) : null);
  }

  /**
   * The model's token usage. Output tokens count as image output unless the upstream splits them in
   * {@code output_tokens_details}; a usage object with billing fields only yields {@code null}.
   */
  static TokenUsage usage(JsonNode usage) {
    if (!usage.has("output_tokens") && !usage.has("input_tokens") && !usage.has("total_tokens")) {
      return null;
    }
    JsonNode in = usage.path("input_tokens_details");
    long inputTotal = usage.path("input_tokens").asLong(0);
    long imageIn = in.path("image_tokens").asLong(0);
    long textIn =
        in.has("text_tokens")
            ? in.path("text_tokens").asLong(0)
            : Math.max(0, inputTotal - imageIn);
    long cached = in.path("cached_tokens").asLong(0);
    long output = usage.path("output_tokens").asLong(0);
    JsonNode out = usage.path("output_tokens_details");
    long imageOut = out.has("image_tokens") ? out.path("image_tokens").asLong(0) : output;
    long textOut =
        out.has("text_tokens") ? out.path("text_tokens").asLong(0) : Math.max(0, output - imageOut);
    long total =
        usage.has("total_tokens") ? usage.path("total_tokens").asLong() : inputTotal + output;
    return new TokenUsage(textIn, imageIn, cached, imageOut, textOut, total);
  }
}
