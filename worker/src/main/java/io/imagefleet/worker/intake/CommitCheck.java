package io.imagefleet.worker.intake;

import org.apache.kafka.common.TopicPartition;

/**
 * Tells whether the record at an offset belongs to a committed transaction, as a {@code
 * read_committed} reader sees it. Asked only after a commit whose answer was lost, once the
 * transaction has been resolved. Called on the intake thread.
 */
@FunctionalInterface
public interface CommitCheck {
  /**
   * True when the record at {@code offset} of {@code partition} is visible to {@code
   * read_committed} readers.
   */
  boolean isCommitted(TopicPartition partition, long offset);
}
