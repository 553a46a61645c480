package io.imagefleet.worker.intake;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records through a shared producer from one thread of its own, so that its callers never
 * block on Kafka. A producer's {@code send} blocks while it fetches a topic's metadata (the first
 * record to a topic, or the first after {@code metadata.max.idle.ms}) or waits for buffer space; a
 * caller that is the producer's own I/O thread, running the continuation of an acknowledged send,
 * then waits for itself until {@code max.block.ms} (a minute) and stalls every send of the worker
 * meanwhile. Records wait in a bounded queue; past the bound they are refused, and the caller
 * decides what losing one means. Thread safe.
 */
public final class BackgroundSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackgroundSender.class);

  private final Producer<byte[], byte[]> producer;
  private final ThreadPoolExecutor thread;

  /**
   * @param threadName the name of the sending thread, in thread dumps
   * @param capacity records that may wait to be sent
   */
  public BackgroundSender(Producer<byte[], byte[]> producer, String threadName, int capacity) {
    this.producer = producer;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(capacity),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Queues {@code record}; {@code onCompletion} is called as by the producer, also with the error
   * when {@code send} itself throws.
   *
   * @return false, without calling {@code onCompletion}, when the queue is full or closed
   */
  public boolean send(ProducerRecord<byte[], byte[]> record, Callback onCompletion) {
    try {
      thread.execute(
          () -> {
            try {
              producer.send(record, onCompletion);
            } catch (RuntimeException e) {
              onCompletion.onCompletion(null, e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Sends what is queued, for up to five seconds: call it before the producer closes. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("{} record(s) not sent before closing", thread.getQueue().size());
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
