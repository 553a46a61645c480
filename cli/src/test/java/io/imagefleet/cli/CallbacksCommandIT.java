package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.worker.callback.OwedCallback;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class CallbacksCommandIT {
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String topic = "callbacks-owed-" + UUID.randomUUID().toString().substring(0, 8);

  private static OwedCallback owed(String id, String tenant) {
    return OwedCallback.owed(
        id,
        "job-" + id,
        tenant,
        1,
        "https://hooks.example.com/in?token=s3cr3t",
        "{\"status\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8),
        Instant.parse("2026-12-06T20:00:00Z"),
        "w1");
  }

  @Test
  void listsWhereDeliveriesStandAndRedeliversFinishedOnesOnlyWhenAskedAndOnlyOnce()
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    OwedCallback pending = owed("evt-1", "catalog");
    OwedCallback failed = owed("evt-2", "catalog");
    OwedCallback delivered = owed("evt-3", "ops");
    Instant t = Instant.parse("2026-12-06T21:00:00Z");
    write(
        pending,
        failed,
        delivered,
        failed.next(
            8, OwedCallback.State.FAILED, null, 503, "the receiver answered HTTP 503", 0, t, "w2"),
        delivered.next(1, OwedCallback.State.DELIVERED, null, 204, null, 0, t, "w2"));

    String all = CliRun.run("callbacks", "list", "-b", bootstrap, "--topic", topic);
    assertThat(all)
        .contains(
            "OWED  webhook-id=evt-1", "FAILED  webhook-id=evt-2", "DELIVERED  webhook-id=evt-3")
        .contains("3 deliveries")
        .doesNotContain("s3cr3t");
    assertThat(
            CliRun.run("callbacks", "list", "-b", bootstrap, "--topic", topic, "--state", "FAILED"))
        .contains("evt-2", "the receiver answered HTTP 503", "1 delivery")
        .doesNotContain("evt-1", "evt-3");

    String plan =
        CliRun.run(
            "callbacks",
            "redeliver",
            "-b",
            bootstrap,
            "--topic",
            topic,
            "--tenant",
            "catalog",
            "--reason",
            "receiver fixed");
    assertThat(plan)
        .contains("would redeliver: FAILED  webhook-id=evt-2")
        .contains("still owed, left alone: evt-1")
        .contains("add --yes");
    assertThat(
            CliRun.run("callbacks", "list", "-b", bootstrap, "--topic", topic, "--state", "OWED"))
        .contains("1 delivery");

    String done =
        CliRun.run(
            "callbacks",
            "redeliver",
            "-b",
            bootstrap,
            "--topic",
            topic,
            "--tenant",
            "catalog",
            "--reason",
            "receiver fixed",
            "--yes");
    assertThat(done).contains("1 delivery owed again");
    String after =
        CliRun.run("callbacks", "list", "-b", bootstrap, "--topic", topic, "--id", "evt-2");
    assertThat(after)
        .contains("OWED  webhook-id=evt-2", "attempts=0", "redelivery=1", "note: receiver fixed")
        .contains("by=cli:");

    // The same command again finds it owed: nothing is redelivered twice by accident.
    String again =
        CliRun.run(
            "callbacks",
            "redeliver",
            "-b",
            bootstrap,
            "--topic",
            topic,
            "--tenant",
            "catalog",
            "--reason",
            "receiver fixed",
            "--yes");
    assertThat(again).contains("still owed, left alone: evt-2").contains("0 deliveries");
  }

  private void write(OwedCallback... records) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (OwedCallback r : records) {
        producer.send(r.toRecord(topic)).get();
      }
    }
  }
}
