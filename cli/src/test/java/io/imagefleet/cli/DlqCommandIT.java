package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.cli.redrive.DeadLetterRedrive;
import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DlqCommandIT {
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String jobs = "jobs-" + id;
  private final String dlq = "dlq-" + id;

  @Test
  void redrivesMatchingDeadLettersOnceToTheirOriginalTopic() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(jobs, 1, (short) 1), new NewTopic(dlq, 1, (short) 1)))
          .all()
          .get();
    }
    deadLetter("job-a", "{\"job_id\":\"job-a\"", "undecodable: not JSON");
    deadLetter("job-b", "{\"job_id\":\"job-b\"}", "worker_error after 3 attempt(s): boom");

    String listed = CliRun.run("dlq", "list", "-b", bootstrap, "--topic", dlq);
    assertThat(listed)
        .contains("key=job-a")
        .contains("undecodable: not JSON")
        .contains("2 dead letter(s)");

    String dry =
        CliRun.run(
            "dlq",
            "redrive",
            "-b",
            bootstrap,
            "--topic",
            dlq,
            "--reason-contains",
            "worker_error",
            "--group",
            "redrive-" + id,
            "--dry-run");
    assertThat(dry).contains("would redrive").contains("key=job-b").doesNotContain("key=job-a");
    assertThat(DlqCommand.readAll(props(), jobs)).isEmpty();

    String done =
        CliRun.run(
            "dlq",
            "redrive",
            "-b",
            bootstrap,
            "--topic",
            dlq,
            "--reason-contains",
            "worker_error",
            "--group",
            "redrive-" + id);
    assertThat(done).contains("1 dead letter(s) redriven");
    var redriven = DlqCommand.readAll(props(), jobs);
    assertThat(redriven).hasSize(1);
    assertThat(new String(redriven.get(0).value(), StandardCharsets.UTF_8))
        .isEqualTo("{\"job_id\":\"job-b\"}");
    assertThat(redriven.get(0).headers().lastHeader(DeadLetterHeaders.REASON)).isNull();

    String again =
        CliRun.run("dlq", "redrive", "-b", bootstrap, "--topic", dlq, "--group", "redrive-" + id);
    assertThat(again).contains("0 dead letter(s)");
  }

  @Test
  void aTruncatedDeadLetterIsRedrivenAsTheWholeOriginalRecord() throws Exception {
    String origin = "origin-" + id;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(origin, 1, (short) 1),
                  new NewTopic(jobs, 1, (short) 1),
                  new NewTopic(dlq, 1, (short) 1)))
          .all()
          .get();
    }
    String whole = "{\"job_id\":\"big\",\"prompt\":\"" + "x".repeat(20_000) + "\"}";
    RecordHeaders letterHeaders = new RecordHeaders();
    letterHeaders.add(
        DeadLetterHeaders.REASON, "undecodable: too large".getBytes(StandardCharsets.UTF_8));
    letterHeaders.add(DeadLetterHeaders.ORIGINAL_TOPIC, origin.getBytes(StandardCharsets.UTF_8));
    letterHeaders.add(DeadLetterHeaders.ORIGINAL_PARTITION, "0".getBytes(StandardCharsets.UTF_8));
    letterHeaders.add(DeadLetterHeaders.ORIGINAL_OFFSET, "0".getBytes(StandardCharsets.UTF_8));
    letterHeaders.add(DeadLetterHeaders.TRUNCATED, "value".getBytes(StandardCharsets.UTF_8));
    try (var producer =
        new KafkaProducer<>(props(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  origin,
                  "big".getBytes(StandardCharsets.UTF_8),
                  whole.getBytes(StandardCharsets.UTF_8)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  dlq,
                  null,
                  "big".getBytes(StandardCharsets.UTF_8),
                  whole.substring(0, 100).getBytes(StandardCharsets.UTF_8),
                  letterHeaders))
          .get();
    }

    String done =
        CliRun.run(
            "dlq",
            "redrive",
            "-b",
            bootstrap,
            "--topic",
            dlq,
            "--to",
            jobs,
            "--group",
            "redrive-" + id);
    assertThat(done).contains("1 dead letter(s) redriven");
    var redriven = DlqCommand.readAll(props(), jobs);
    assertThat(redriven).hasSize(1);
    assertThat(new String(redriven.get(0).value(), StandardCharsets.UTF_8))
        .as("not the excerpt")
        .isEqualTo(whole);
  }

  @Test
  void aLetterRedrivenFromTheConsoleIsNeverRedrivenAgainByTheCliNorTheOtherWayRound()
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(jobs, 1, (short) 1), new NewTopic(dlq, 1, (short) 1)))
          .all()
          .get();
    }
    deadLetter("job-a", "{\"job_id\":\"job-a\"}", "worker_error: a");
    deadLetter("job-b", "{\"job_id\":\"job-b\"}", "worker_error: b");
    deadLetter("job-c", "{\"job_id\":\"job-c\"}", "worker_error: c");
    String group = "redrive-" + id;
    // What the console's redrive button calls.
    DeadLetterRedrive page = new DeadLetterRedrive(props(), group);

    assertThat(page.redriveOne(dlq, 0, 1).result()).isEqualTo(DeadLetterRedrive.Result.REDRIVEN);
    assertThat(page.redriveOne(dlq, 0, 1).result())
        .isEqualTo(DeadLetterRedrive.Result.ALREADY_REDRIVEN);
    assertThat(page.redriveOne(dlq, 0, 7).result())
        .as("no such letter")
        .isEqualTo(DeadLetterRedrive.Result.NOT_REDRIVABLE);

    String cli = CliRun.run("dlq", "redrive", "-b", bootstrap, "--topic", dlq, "--group", group);
    assertThat(cli).contains("2 dead letter(s) redriven").doesNotContain("key=job-b");
    assertThat(page.redriveOne(dlq, 0, 2).result())
        .as("redriven by the CLI")
        .isEqualTo(DeadLetterRedrive.Result.ALREADY_REDRIVEN);
    assertThat(
            DlqCommand.readAll(props(), jobs).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)))
        .containsExactlyInAnyOrder("job-a", "job-b", "job-c");
  }

  private void deadLetter(String key, String value, String reason) throws Exception {
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, jobs.getBytes(StandardCharsets.UTF_8));
    try (var producer =
        new KafkaProducer<>(props(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  dlq,
                  null,
                  key.getBytes(StandardCharsets.UTF_8),
                  value.getBytes(StandardCharsets.UTF_8),
                  headers))
          .get();
    }
  }

  private Properties props() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return p;
  }
}
