package io.imagefleet.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.worker.config.TenantSettings;
import io.imagefleet.worker.tenant.TenantDirectory;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeliveryRecorderTest {
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private DeliveryRecorder recorder(boolean eventsPerTenant) {
    TenantDirectory tenants =
        new TenantDirectory(
            new TenantSettings(Set.of(), TenantTopics.defaults(), eventsPerTenant, Map.of()));
    tenants.replace(Set.of("team-a"));
    return new DeliveryRecorder(producer, "callbacks", tenants);
  }

  private static CallbackDelivery delivered(String jobId, String tenant) {
    return new CallbackDelivery(
        CallbackDelivery.SCHEMA_VERSION,
        "evt-" + jobId,
        jobId,
        tenant,
        1,
        "https://hooks.example.com/x",
        CallbackDelivery.Status.DELIVERED,
        200,
        1,
        null,
        Instant.parse("2026-01-01T00:00:00Z"),
        "w1");
  }

  @Test
  void copiesAnOutcomeToItsTenantsOwnTopicWhenCopiesAreOn() {
    DeliveryRecorder recorder = recorder(true);
    recorder.record(delivered("a-1", "team-a"));
    recorder.record(delivered("c-1", "catalog"));
    assertThat(producer.history())
        .extracting(ProducerRecord::topic)
        .containsExactly("callbacks", "imagefleet.tenant.team-a.callbacks.v1", "callbacks");
  }

  @Test
  void writesOnlyTheSharedTopicWhenCopiesAreOff() {
    recorder(false).record(delivered("a-1", "team-a"));
    assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("callbacks");
  }
}
