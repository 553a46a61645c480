package io.imagefleet.worker.callback;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes delivery outcomes to the callbacks topic, keyed by job id. Thread safe. */
final class DeliveryRecorder {
  private static final Logger log = LoggerFactory.getLogger(DeliveryRecorder.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  DeliveryRecorder(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  void record(CallbackDelivery delivery) {
    byte[] value;
    try {
      value = Json.mapper().writeValueAsBytes(delivery);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a callback delivery", e);
    }
    producer.send(
        new ProducerRecord<>(topic, delivery.jobId().getBytes(StandardCharsets.UTF_8), value),
        (metadata, error) -> {
          if (error != null) {
            log.warn(
                "job {}: callback outcome {} could not be recorded ({})",
                delivery.jobId(),
                delivery.status(),
                error.toString());
          }
        });
  }
}
