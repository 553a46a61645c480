package io.imagefleet.bench.contenders;

import java.util.Arrays;

/** The contenders, by the names the benchmark's flags and reports use. */
public enum Kind {
  /** The production worker ({@code io.imagefleet.worker.Worker}), unchanged. */
  IMAGEFLEET("imagefleet"),
  /** Confluent's Parallel Consumer, unordered, one blocking job per pool thread. */
  PARALLEL_CONSUMER("parallel-consumer"),
  /** A plain {@code KafkaConsumer} loop handling one record at a time. */
  SEQUENTIAL("sequential");

  private final String wire;

  Kind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Kind parse(String text) {
    return Arrays.stream(values())
        .filter(k -> k.wire.equals(text.trim()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "contender must be one of "
                        + Arrays.stream(values()).map(Kind::wire).toList()
                        + ", but was '"
                        + text
                        + "'"));
  }
}
