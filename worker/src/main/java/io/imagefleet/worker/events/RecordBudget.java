package io.imagefleet.worker.events;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;

/**
 * The largest record the worker may produce: the producer's {@code max.request.size} less a margin
 * for the batch and record framing. A record over it is refused by the producer, and inside a
 * transaction that refusal aborts every other ending with it; so every record the worker builds
 * from a producer's input is checked here first and made smaller when it does not fit (invariant
 * 8). Immutable and thread safe.
 */
public final class RecordBudget {
  /** Batch header, record framing and varints: far more than Kafka's own upper bound needs. */
  static final int FRAMING_BYTES = 512;

  private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

  private final int maxBytes;

  public RecordBudget(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("a record budget must be > 0, but was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The budget of the producer these properties configure. */
  public static RecordBudget of(Properties producer) {
    Object configured = producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    int max =
        configured == null
            ? DEFAULT_MAX_REQUEST_SIZE
            : Integer.parseInt(configured.toString().trim());
    return new RecordBudget(Math.max(FRAMING_BYTES * 2, max - FRAMING_BYTES));
  }

  /** Bytes a record may take, key, value and headers together. */
  public int maxBytes() {
    return maxBytes;
  }

  public boolean fits(ProducerRecord<byte[], byte[]> record) {
    return sizeOf(record) <= maxBytes;
  }

  /** Key, value and every header's name and value, in bytes. */
  public static long sizeOf(ProducerRecord<byte[], byte[]> record) {
    long size = length(record.key()) + length(record.value());
    for (Header h : record.headers()) {
      size += h.key().length() * 3L + length(h.value()) + 8;
    }
    return size;
  }

  /** Whether the producer refused a record for a reason that sending it again cannot cure. */
  public static boolean isRefusedForGood(Throwable error) {
    return error instanceof RecordTooLargeException
        || error instanceof RecordBatchTooLargeException
        || error instanceof InvalidRecordException
        || error instanceof SerializationException;
  }

  private static long length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}
