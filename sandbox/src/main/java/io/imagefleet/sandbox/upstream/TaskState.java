package io.imagefleet.sandbox.upstream;

/** A task's status and progress at one instant, as the query endpoint reports them. */
record TaskState(String status, int progress) {

  static final String PENDING = "pending";
  static final String PROCESSING = "processing";
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";

  static final TaskState INITIAL = new TaskState(PENDING, 0);

  boolean isTerminal() {
    return COMPLETED.equals(status) || FAILED.equals(status);
  }

  boolean isCompleted() {
    return COMPLETED.equals(status);
  }
}
