package io.imagefleet.worker.config;

import java.util.List;
import java.util.Objects;

/**
 * The codec of each public topic: part of the contract, because a reader whose client lacks the
 * codec cannot read the topic at all (stock kafkajs reads only {@code none} and {@code gzip}). The
 * default, {@code gzip}, is read by every mainstream client as installed; {@code none} spares the
 * workers' CPU at the price of bigger batches on the wire and on disk. The internal topics (job
 * state, budgets) have no setting of their own: they travel in the codec of the public topics
 * written by the same producer, and only workers read them.
 */
public record CompressionSettings(
    Compression events, Compression deadLetters, Compression callbacks, Compression heartbeats) {
  static final Key EVENTS = Key.of("compression.events", "gzip");
  static final Key DEAD_LETTERS = Key.of("compression.dead-letters", "gzip");
  static final Key CALLBACKS = Key.of("compression.callbacks", "gzip");
  static final Key HEARTBEATS = Key.of("compression.heartbeats", "gzip");
  static final List<Key> KEYS = List.of(EVENTS, DEAD_LETTERS, CALLBACKS, HEARTBEATS);

  public CompressionSettings {
    Objects.requireNonNull(events, EVENTS.name());
    Objects.requireNonNull(deadLetters, DEAD_LETTERS.name());
    Objects.requireNonNull(callbacks, CALLBACKS.name());
    Objects.requireNonNull(heartbeats, HEARTBEATS.name());
  }

  static CompressionSettings from(ConfigReader r) {
    return new CompressionSettings(
        Compression.parse(EVENTS, r.string(EVENTS)),
        Compression.parse(DEAD_LETTERS, r.string(DEAD_LETTERS)),
        Compression.parse(CALLBACKS, r.string(CALLBACKS)),
        Compression.parse(HEARTBEATS, r.string(HEARTBEATS)));
  }
}
