package io.imagefleet.worker.callback;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.Json;
import io.imagefleet.worker.tenant.TenantDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes delivery outcomes to the callbacks topic, keyed by job id, and a copy to the tenant's
 * own callbacks topic when it has one and copies are on. Thread safe.
 */
final class DeliveryRecorder {
  private static final Logger log = LoggerFactory.getLogger(DeliveryRecorder.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final TenantDirectory tenants;

  DeliveryRecorder(Producer<byte[], byte[]> producer, String topic, TenantDirectory tenants) {
    this.producer = producer;
    this.topic = topic;
    this.tenants = tenants;
  }

  void record(CallbackDelivery delivery) {
    byte[] value;
    try {
      value = Json.mapper().writeValueAsBytes(delivery);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a callback delivery", e);
    }
    byte[] key = delivery.jobId().getBytes(StandardCharsets.UTF_8);
    send(new ProducerRecord<>(topic, key, value), delivery);
    tenants
        .callbacksCopyOf(delivery.tenant())
        .ifPresent(copy -> send(new ProducerRecord<>(copy, key, value), delivery));
  }

  private void send(ProducerRecord<byte[], byte[]> record, CallbackDelivery delivery) {
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            log.warn(
                "job {}: callback outcome {} could not be recorded to {} ({})",
                delivery.jobId(),
                delivery.status(),
                record.topic(),
                error.toString());
          }
        });
  }
}
