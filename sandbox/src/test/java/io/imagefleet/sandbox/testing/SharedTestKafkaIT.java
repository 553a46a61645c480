package io.imagefleet.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class SharedTestKafkaIT {

  @Test
  void oneBrokerPerJvmEvenWhenAskedConcurrently() throws Exception {
    List<CompletableFuture<String>> calls =
        List.of(
            CompletableFuture.supplyAsync(SharedTestKafka::bootstrapServers),
            CompletableFuture.supplyAsync(SharedTestKafka::bootstrapServers));
    String first = calls.get(0).get(120, TimeUnit.SECONDS);
    assertThat(calls.get(1).get(120, TimeUnit.SECONDS)).isEqualTo(first);
    assertThat(SharedTestKafka.bootstrapServers()).isEqualTo(first);
  }

  @Test
  void sharedBrokerAcceptsTopics() throws Exception {
    String topic = "shared-" + UUID.randomUUID();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedTestKafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
    }
  }
}
