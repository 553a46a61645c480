package io.imagefleet.worker.upstream;

import io.imagefleet.contracts.TokenUsage;
import java.time.Duration;
import java.util.List;

/**
 * What the upstream says about one task, from a create or a query answer.
 *
 * @param estimatedTime the upstream's estimate of the whole task, from {@code
 *     task_info.estimated_time}
 * @param results temporary image links, on completion (they expire 24 h after creation), as the
 *     upstream wrote them; {@link ResultCheck} turns them into URLs to download
 * @param usage token usage, when reported
 * @param errorCode {@code error.code} of a failed task
 */
public record UpstreamTask(
    String id,
    TaskState state,
    int progress,
    Duration estimatedTime,
    List<String> results,
    TokenUsage usage,
    String errorCode,
    String errorMessage) {

  public UpstreamTask {
    results = results == null ? List.of() : List.copyOf(results);
  }
}
