package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Renders a task object exactly in the documented shape: {@code id, created, model, object,
 * progress, status, task_info, type, usage}, plus {@code results} when completed or {@code error}
 * when failed. Token counts join the billing fields in {@code usage} once the task has completed.
 */
final class TaskJson {

  private final ObjectMapper mapper;
  private final ResultLinks links;
  private final String userGroup;

  TaskJson(ObjectMapper mapper, ResultLinks links, String userGroup) {
    this.mapper = mapper;
    this.links = links;
    this.userGroup = userGroup;
  }

  ObjectNode render(SimTask task, TaskState state) {
    ObjectNode json = mapper.createObjectNode();
    json.put("id", task.id());
    json.put("created", task.createdAt().getEpochSecond());
    json.put("model", task.request().model());
    json.put("object", "image.generation.task");
    json.put("progress", state.progress());
    json.put("status", state.status());
    ObjectNode info = json.putObject("task_info");
    info.put("can_cancel", !state.isTerminal());
    info.put("estimated_time", task.estimatedSeconds());
    json.put("type", "image");
    ObjectNode usage = json.putObject("usage");
    usage.put("billing_rule", "per_call");
    usage.put("credits_reserved", task.creditsReserved());
    usage.put("user_group", userGroup);
    if (state.isCompleted()) {
      TokenUsage tokens = task.usage();
      usage.put("input_tokens", tokens.inputTokens());
      ObjectNode details = usage.putObject("input_tokens_details");
      details.put("text_tokens", tokens.textTokens());
      details.put("image_tokens", tokens.imageTokens());
      usage.put("output_tokens", tokens.outputTokens());
      usage.put("total_tokens", tokens.totalTokens());
      List<String> urls = broken(links.urlsFor(task), task.request().prompt());
      urls.forEach(json.putArray("results")::add);
    } else if (TaskState.FAILED.equals(state.status())) {
      String code = task.failCode().orElse("unknown_error");
      ObjectNode error = json.putObject("error");
      error.put("code", code);
      error.put("message", TaskErrorCodes.message(code));
      error.put("type", "task_error");
    }
    return json;
  }

  /**
   * The links as a prompt's {@code results=} marker breaks them (already validated at creation).
   */
  private static List<String> broken(List<String> urls, String prompt) {
    return switch (PromptScript.parse(prompt).badResults().orElse("")) {
      case "nohost" -> urls.stream().map(u -> u.replaceFirst("^(https?://)[^/]*", "$1")).toList();
      case "missing" -> urls.subList(0, urls.size() - 1);
      default -> urls;
    };
  }
}
