package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code imagefleet costs} against events on the real broker. */
class CostsCommandIT {
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String events = "events-costs-" + UUID.randomUUID().toString().substring(0, 8);

  private static StatusEvent event(
      String job,
      String tenant,
      String route,
      JobStatus status,
      String cost,
      int images,
      Instant at) {
    List<StoredImage> stored =
        IntStream.range(0, images)
            .mapToObj(
                i ->
                    new StoredImage(
                        i,
                        "file:///x/" + job + "/" + i + ".png",
                        null,
                        10,
                        "image/png",
                        1024,
                        1024,
                        "ab"))
            .toList();
    return new StatusEvent(
        1,
        UUID.randomUUID().toString(),
        job,
        tenant,
        status,
        1,
        route,
        null,
        null,
        null,
        stored,
        null,
        cost == null ? null : new BigDecimal(cost),
        new BigDecimal("0.13"),
        null,
        null,
        status == JobStatus.FAILED ? JobError.of("budget_exceeded", "no", false) : null,
        Map.of(),
        at,
        "w");
  }

  @Test
  void printsSpendPerTenantAndRouteCountingEachJobAttemptOnce() throws Exception {
    Instant now = Instant.now();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(events, 3, (short) 1))).all().get();
    }
    StatusEvent repeated =
        event("c-1", "catalog", "gpt-image-1.5", JobStatus.SUCCEEDED, "0.125", 2, now);
    publish(
        List.of(
            event("c-0", "catalog", "gpt-image-1.5", JobStatus.ACCEPTED, null, 0, now),
            repeated,
            repeated,
            event("c-2", "catalog", "gpt-image-1.5", JobStatus.SUCCEEDED, "0.25", 1, now)
                .withUpstreamCalls(5, 1),
            event("c-3", "catalog", "gpt-image-1", JobStatus.SUCCEEDED, "0.5", 1, now),
            event("c-4", "catalog", "gpt-image-1.5", JobStatus.FAILED, null, 0, now),
            event("m-1", "marketing", "gpt-image-1.5", JobStatus.SUCCEEDED, "1.0", 4, now),
            event(
                "m-0",
                "marketing",
                "gpt-image-1.5",
                JobStatus.SUCCEEDED,
                "9.0",
                4,
                now.minus(Duration.ofDays(3)))));

    String all = CliRun.run("costs", "-b", bootstrap, "--topic", events);
    assertThat(all)
        .containsPattern("catalog\\s+gpt-image-1\\s+1\\s+0\\s+1\\s+0.50\\b")
        .containsPattern("catalog\\s+gpt-image-1\\.5\\s+2\\s+1\\s+3\\s+0.375\\s+0.26\\s+1\\n")
        .containsPattern("catalog\\s+\\(all routes\\)\\s+0.875\\b")
        .containsPattern("marketing\\s+gpt-image-1\\.5\\s+2\\s+0\\s+8\\s+10.00\\b")
        .contains("total: $10.875 across 2 tenant(s)")
        .contains("1 task creation(s) got no answer (UNCONFIRMED)");

    String recent =
        CliRun.run(
            "costs", "-b", bootstrap, "--topic", events, "--tenant", "marketing", "--since", "24h");
    assertThat(recent)
        .containsPattern("marketing\\s+gpt-image-1\\.5\\s+1\\s+0\\s+4\\s+1.00\\b")
        .doesNotContain("catalog")
        .contains("total: $1.00 across 1 tenant(s)")
        .doesNotContain("UNCONFIRMED)");
  }

  @Test
  void readsSinceAsAnInstantADateOrADurationBackFromNow() {
    Instant now = Instant.parse("2026-11-24T12:00:00Z");
    assertThat(CostsCommand.parseSince("2026-11-24T09:00:00Z", now))
        .isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
    assertThat(CostsCommand.parseSince("2026-11-01", now))
        .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(CostsCommand.parseSince("24h", now))
        .isEqualTo(Instant.parse("2026-11-23T12:00:00Z"));
    assertThat(CostsCommand.parseSince("7d", now)).isEqualTo(Instant.parse("2026-11-17T12:00:00Z"));
    assertThatThrownBy(() -> CostsCommand.parseSince("yesterday", now))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("--since");
  }

  private void publish(List<StatusEvent> list) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (StatusEvent e : list) {
        producer
            .send(
                new ProducerRecord<>(
                    events,
                    null,
                    e.occurredAt().toEpochMilli(),
                    e.jobId().getBytes(StandardCharsets.UTF_8),
                    JobCodec.encodeEvent(e)))
            .get();
      }
    }
  }
}
