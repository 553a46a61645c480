package io.imagefleet.worker.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A Kafka compression codec, in order of how widely Kafka clients read it as installed by default:
 * every client reads {@code none} and {@code gzip} (stock kafkajs reads nothing else); snappy, lz4
 * and zstd need a codec plugin in kafkajs, and zstd a client from Kafka 2.1 on.
 */
public enum Compression {
  NONE,
  GZIP,
  SNAPPY,
  LZ4,
  ZSTD;

  /** The name Kafka gives it ({@code compression.type}). */
  public String kafkaName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The codec every reader of each of {@code codecs} can read. Kafka compresses per producer, not
   * per topic, so a producer that writes several topics must use one that all their readers read.
   */
  public static Compression mostReadable(Compression... codecs) {
    return Arrays.stream(codecs)
        .min(Enum::compareTo)
        .orElseThrow(() -> new IllegalArgumentException("no codec"));
  }

  static Compression parse(Key key, String value) {
    return Arrays.stream(values())
        .filter(c -> c.kafkaName().equals(value.trim().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    key.name()
                        + " must be one of "
                        + Arrays.stream(values())
                            .map(Compression::kafkaName)
                            .collect(Collectors.joining(", "))
                        + ", but was "
                        + value));
  }
}
