package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.CancelScope;
import io.imagefleet.contracts.Cancellation;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code imagefleet cancel} and what {@code imagefleet costs} says cancellation saved. */
class CancelCommandIT {
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String control = "control-cli-" + id;
  private final String tenantPrefix = "tenants-cli-" + id + ".";
  private final String catalogControl = new TenantTopics(tenantPrefix).control("catalog");
  private final String state = "state-cli-" + id;
  private final String events = "events-cli-" + id;

  @Test
  void publishesToTheTenantsOwnTopicAndSaysWhatTheCancelChanges() throws Exception {
    createTopics(List.of(control, catalogControl, state));
    writeState(
        JobState.ended(
            new JobIdentity("catalog", "done-1"),
            1,
            "gpt-image-1.5",
            "task-1",
            JobStatus.SUCCEEDED,
            3,
            Instant.now(),
            "w"));
    writeState(
        JobState.submitted(
            new JobIdentity("catalog", "paid-1"),
            1,
            "gpt-image-1.5",
            null,
            "task-2",
            0,
            Instant.now(),
            "w"));

    String ended =
        CliRun.run(
            "cancel",
            "-b",
            bootstrap,
            "--topic",
            control,
            "--tenant-prefix",
            tenantPrefix,
            "--state-topic",
            state,
            "--tenant",
            "catalog",
            "--job",
            "done-1",
            "--reason",
            "wrong prompt");
    assertThat(ended)
        .contains("published to " + catalogControl)
        .contains("job done-1: already ended (SUCCEEDED, attempt 1): this cancel changes nothing");

    String paid =
        CliRun.run(
            "cancel",
            "-b",
            bootstrap,
            "--topic",
            control,
            "--tenant-prefix",
            tenantPrefix,
            "--state-topic",
            state,
            "--tenant",
            "catalog",
            "--job",
            "paid-1");
    assertThat(paid).contains("job paid-1: its task was already created and paid for");

    String unread =
        CliRun.run(
            "cancel",
            "-b",
            bootstrap,
            "--topic",
            control,
            "--tenant-prefix",
            tenantPrefix,
            "--state-topic",
            state,
            "--tenant",
            "marketing",
            "--job",
            "later-1");
    assertThat(unread)
        .as("marketing has no topic of its own: the shared one")
        .contains("published to " + control + ":")
        .contains("no worker has read it yet");

    String everything =
        CliRun.run(
            "cancel",
            "-b",
            bootstrap,
            "--topic",
            control,
            "--tenant-prefix",
            tenantPrefix,
            "--state-topic",
            state,
            "--tenant",
            "catalog",
            "--all-queued");
    assertThat(everything).contains("1 already ended (unchanged), 1 with a paid task");

    List<CancelRequest> own = read(catalogControl);
    assertThat(own).hasSize(3);
    assertThat(own.get(0).scope()).isEqualTo(CancelScope.JOB);
    assertThat(own.get(0).reason()).isEqualTo("wrong prompt");
    assertThat(own.get(2).scope()).isEqualTo(CancelScope.ALL_QUEUED);
    assertThat(own).allSatisfy(r -> assertThat(r.invalidReason()).isEmpty());
    assertThat(read(control))
        .singleElement()
        .satisfies(r -> assertThat(r.tenant()).isEqualTo("marketing"));
  }

  @Test
  void refusesARequestNoWorkerCouldApply() throws Exception {
    createTopics(List.of(control));
    assertThat(
            CliRun.expecting(
                2,
                "cancel",
                "-b",
                bootstrap,
                "--topic",
                control,
                "--tenant-prefix",
                tenantPrefix,
                "--no-check",
                "--tenant",
                "Catalog Team",
                "--all-queued"))
        .contains("cannot cancel: tenant may contain only");
    assertThat(
            CliRun.expecting(
                2,
                "cancel",
                "-b",
                bootstrap,
                "--topic",
                control + "-missing",
                "--no-check",
                "--tenant",
                "catalog",
                "--all-queued"))
        .contains("bin/imagefleet topics");
  }

  @Test
  void costsSaysWhatCancellationSaved() throws Exception {
    createTopics(List.of(events));
    Instant now = Instant.now();
    List<StatusEvent> list = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      list.add(cancelled("c-" + i, "0.25", null, now));
    }
    list.add(cancelled("c-lost", "0.25", 1, now)); // its creation may have been paid
    list.add(
        new StatusEvent(
            1,
            UUID.randomUUID().toString(),
            "ok-1",
            "catalog",
            JobStatus.SUCCEEDED,
            1,
            "gpt-image-1.5",
            null,
            "task-1",
            100,
            List.of(),
            null,
            new BigDecimal("0.20"),
            new BigDecimal("0.25"),
            2,
            null,
            null,
            Map.of(),
            now,
            "w"));
    publishEvents(list);

    String costs = CliRun.run("costs", "-b", bootstrap, "--topic", events);
    assertThat(costs)
        .containsPattern("catalog\\s+3 job\\(s\\)\\s+0.75")
        .contains("cancellation saved: $0.75 (estimated)")
        .contains("total: $0.20 across 1 tenant(s)");
  }

  private static StatusEvent cancelled(
      String job, String estimate, Integer unconfirmed, Instant at) {
    return new StatusEvent(
            1,
            UUID.randomUUID().toString(),
            job,
            "catalog",
            JobStatus.FAILED,
            1,
            null,
            null,
            null,
            null,
            List.of(),
            null,
            null,
            new BigDecimal(estimate),
            0,
            null,
            JobError.of(ErrorCodes.CANCELLED, "cancelled by request r", false),
            Map.of(),
            at,
            "w")
        .withUpstreamCalls(0, unconfirmed == null ? 0 : unconfirmed)
        .withCancellation(new Cancellation("r", null, at, Cancellation.Outcome.NOT_SUBMITTED));
  }

  private void createTopics(List<String> names) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(names.stream().map(n -> new NewTopic(n, 1, (short) 1)).toList())
          .all()
          .get();
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void writeState(JobState s) throws Exception {
    try (var producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  state, s.key().getBytes(StandardCharsets.UTF_8), StateCodec.encode(s)))
          .get();
    }
  }

  private void publishEvents(List<StatusEvent> list) throws Exception {
    try (var producer = producer()) {
      for (StatusEvent e : list) {
        producer
            .send(
                new ProducerRecord<>(
                    events, e.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encodeEvent(e)))
            .get();
      }
    }
  }

  private List<CancelRequest> read(String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      List<CancelRequest> read = new ArrayList<>();
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          read.add(JobCodec.decodeCancel(r.value()));
        }
      }
      return read;
    }
  }
}
