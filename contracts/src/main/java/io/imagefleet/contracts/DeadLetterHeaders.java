package io.imagefleet.contracts;

/**
 * Headers on a dead letter. The record's key, value and original headers are kept byte for byte;
 * these say why and where it came from. Values are UTF-8 strings.
 */
public final class DeadLetterHeaders {
  public static final String REASON = "imagefleet.dlq.reason";
  public static final String ERROR_CLASS = "imagefleet.dlq.error-class";
  public static final String ORIGINAL_TOPIC = "imagefleet.dlq.original-topic";
  public static final String ORIGINAL_PARTITION = "imagefleet.dlq.original-partition";
  public static final String ORIGINAL_OFFSET = "imagefleet.dlq.original-offset";
  public static final String ORIGINAL_TIMESTAMP = "imagefleet.dlq.original-timestamp";
  public static final String WORKER = "imagefleet.dlq.worker";
  public static final String FAILED_AT = "imagefleet.dlq.failed-at";

  private DeadLetterHeaders() {}
}
