package io.imagefleet.sandbox.upstream;

/** Token counts of one task, as the upstream reports them in a completed task's {@code usage}. */
record TokenUsage(long textTokens, long imageTokens, long outputTokens) {

  long inputTokens() {
    return textTokens + imageTokens;
  }

  long totalTokens() {
    return inputTokens() + outputTokens;
  }
}
