package io.imagefleet.cli;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer for the records the command line and the console write on someone's behalf (replays,
 * redrives, cancels, callback redeliveries, console actions): acknowledged by every in-sync replica
 * and never duplicated by a retry, since each stands for an operator's decision.
 */
public final class DurableProducer {
  private DurableProducer() {}

  /** A producer of raw bytes with {@code client}'s connection settings; the caller closes it. */
  public static KafkaProducer<byte[], byte[]> open(Properties client) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
