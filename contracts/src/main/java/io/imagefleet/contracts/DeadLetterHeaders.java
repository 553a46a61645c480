package io.imagefleet.contracts;

/**
 * Headers on a dead letter. The record's key, value and original headers are kept byte for byte
 * when the dead letter fits in a record; these say why and where it came from. Values are UTF-8
 * strings.
 *
 * <p>A record too large to be kept whole with these headers (close to the producer's {@code
 * max.request.size}) is kept as a bounded excerpt of its value, with {@link #ORIGINAL_BYTES} and
 * {@link #ORIGINAL_SHA256} of the whole value and {@link #TRUNCATED} set; the whole record stays in
 * its original topic at {@link #ORIGINAL_OFFSET} (for the topic's retention). Its key is cut the
 * same way, and its original headers are dropped when even they do not fit.
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

  /**
   * Set (to what was cut: {@code value}, {@code value,key}, {@code value,key,headers}) when the
   * letter is an excerpt.
   */
  public static final String TRUNCATED = "imagefleet.dlq.truncated";

  /** On a truncated letter: the original value's length in bytes. */
  public static final String ORIGINAL_BYTES = "imagefleet.dlq.original-bytes";

  /** On a truncated letter: lowercase hex SHA-256 of the original value. */
  public static final String ORIGINAL_SHA256 = "imagefleet.dlq.original-sha256";

  private DeadLetterHeaders() {}
}
