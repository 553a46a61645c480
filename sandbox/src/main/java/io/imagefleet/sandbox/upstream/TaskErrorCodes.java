package io.imagefleet.sandbox.upstream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The documented error codes of failed tasks, with the message the simulator reports for each. */
final class TaskErrorCodes {

  private static final Map<String, String> MESSAGES = messages();

  private TaskErrorCodes() {}

  static Set<String> all() {
    return MESSAGES.keySet();
  }

  static boolean isKnown(String code) {
    return MESSAGES.containsKey(code);
  }

  static String message(String code) {
    return MESSAGES.getOrDefault(code, "The task failed.");
  }

  private static Map<String, String> messages() {
    Map<String, String> m = new LinkedHashMap<>();
    // The request's fault: never retry as is.
    m.put("content_policy_violation", "The prompt or an image was rejected by the content policy.");
    m.put("invalid_parameters", "The request parameters are not valid for this model.");
    m.put("image_processing_error", "A reference image could not be processed.");
    m.put("image_dimension_mismatch", "The reference images have unsupported dimensions.");
    m.put("request_cancelled", "The task was cancelled.");
    // The service's fault: retry later.
    m.put("generation_failed_no_content", "The model returned no image.");
    m.put("service_error", "The generation service failed.");
    m.put("generation_timeout", "The generation timed out.");
    m.put("resource_exhausted", "The generation service is out of capacity.");
    m.put("service_unavailable", "The generation service is unavailable.");
    m.put("unknown_error", "An unknown error occurred.");
    // Money.
    m.put("quota_exceeded", "The account quota is exhausted.");
    return Collections.unmodifiableMap(m);
  }
}
