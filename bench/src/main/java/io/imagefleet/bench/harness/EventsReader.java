package io.imagefleet.bench.harness;

import io.imagefleet.contracts.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a fleet's events topic and dead-letter topic the way a downstream team does: {@code
 * read_committed}, so an event counts only once the worker's transaction that carries it has
 * committed, from the beginning of every partition, without a group (nothing is committed).
 *
 * <p>Each event goes through {@code decoder} and then to the listener; each dead letter goes to the
 * listener with the reason the worker gave. The consumer lives on the reader's own thread and so
 * does the listener: it must be safe to read from other threads. {@link #close()} wakes the
 * consumer up and waits for the thread to end; if the decoder or the listener threw, close says so.
 *
 * @param <E> what the decoder makes of an event's value
 */
public final class EventsReader<E> implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  /** Called on the reader's thread, in the order of each partition. */
  public interface Listener<E> {
    void onEvent(E event);

    void onDeadLetter(DeadLetter letter);
  }

  /** A record the workers could not read, by its key and the reason header they wrote. */
  public record DeadLetter(String key, String reason) {}

  /** The topics to read; the dead-letter topic has one partition, as the fleet creates it. */
  public record Topics(String events, int partitions, String deadLetters) {}

  private final Consumer<byte[], byte[]> consumer;
  private final Topics topics;
  private final Function<byte[], ? extends E> decoder;
  private final Listener<? super E> listener;
  private final Thread thread;
  private volatile boolean closing;
  private volatile RuntimeException failure;

  EventsReader(
      Consumer<byte[], byte[]> consumer,
      Topics topics,
      Function<byte[], ? extends E> decoder,
      Listener<? super E> listener) {
    this.consumer = consumer;
    this.topics = topics;
    this.decoder = decoder;
    this.listener = listener;
    List<TopicPartition> parts = new ArrayList<>();
    for (int i = 0; i < topics.partitions(); i++) {
      parts.add(new TopicPartition(topics.events(), i));
    }
    parts.add(new TopicPartition(topics.deadLetters(), 0));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.thread = new Thread(this::run, "events-reader-" + topics.events());
    thread.setDaemon(true);
  }

  /** Starts reading at once, on a thread of its own. */
  public static <E> EventsReader<E> start(
      Properties client,
      Topics topics,
      Function<byte[], ? extends E> decoder,
      Listener<? super E> listener) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    return new EventsReader<E>(consumer, topics, decoder, listener).begin();
  }

  EventsReader<E> begin() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          hand(r);
        }
      }
    } catch (WakeupException e) {
      // close() asked: nothing to do but close the consumer
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private void hand(ConsumerRecord<byte[], byte[]> r) {
    if (r.topic().equals(topics.deadLetters())) {
      listener.onDeadLetter(new DeadLetter(text(r.key()), reason(r)));
    } else {
      listener.onEvent(decoder.apply(r.value()));
    }
  }

  private static String reason(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(DeadLetterHeaders.REASON);
    return h == null ? "?" : text(h.value());
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  /** False once the reader stopped, on close or because the decoder or the listener threw. */
  public boolean isReading() {
    return thread.isAlive() && !closing;
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw new IllegalStateException(
          "the events reader of " + topics.events() + " stopped", failure);
    }
  }
}
