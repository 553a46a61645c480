package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the broker: this test owns its broker (a second one in the JVM) so it can stop
 * it and start it again under a running worker.
 */
class BrokerReadinessIT {

  @Test
  void isNotReadyWhileTheBrokerIsDownAndRecoversWithIt() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
        UpstreamSimulator simulator =
            UpstreamSimulator.start(
                SimulatorConfig.builder()
                    .taskDuration(
                        DurationDistribution.uniform(
                            Duration.ofMillis(100), Duration.ofMillis(300)))
                    .build())) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("jobs", 2, (short) 1),
                    new NewTopic("events", 2, (short) 1),
                    new NewTopic("dlq", 1, (short) 1),
                    new NewTopic("state", 2, (short) 1)))
            .all()
            .get();
        await()
            .atMost(Duration.ofSeconds(15))
            .ignoreExceptions()
            .until(
                () ->
                    admin.describeTopics(List.of("jobs", "state")).allTopicNames().get().size()
                        == 2);
      }
      Worker worker =
          Worker.start(
              ConfigLoader.fromMap(
                  Map.ofEntries(
                      Map.entry("worker.id", "readiness-1"),
                      Map.entry("kafka.bootstrap.servers", bootstrap),
                      Map.entry("kafka.group.id", "readiness"),
                      Map.entry("kafka.reconnect.backoff.max.ms", "500"),
                      Map.entry("topics.jobs", "jobs"),
                      Map.entry("topics.events", "events"),
                      Map.entry("topics.dead-letters", "dlq"),
                      Map.entry("topics.state", "state"),
                      Map.entry("upstream.base-url", simulator.baseUrl().toString()),
                      Map.entry("upstream.allow-private-downloads", "true"),
                      Map.entry("upstream.api-key", simulator.apiKey()),
                      Map.entry(
                          "storage.directory", Files.createTempDirectory("readiness-").toString()),
                      Map.entry("polling.min-interval", "200ms"),
                      Map.entry("ops.port", "0"),
                      Map.entry("ops.heartbeat-interval", "0s"),
                      Map.entry("ops.probe-interval", "500ms"),
                      Map.entry("ops.probe-timeout", "1s"),
                      Map.entry("intake.shutdown-grace", "5s")),
                  Map.of()));
      try (TestFleet.Collector events = new TestFleet.Collector(bootstrap, "events", 2)) {
        OpsEndpoint ops = new OpsEndpoint(worker);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ops.get("/health/ready").statusCode() == 200);

        broker.stop();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> ops.get("/health/ready").statusCode() == 503);
        assertThat(ops.get("/health/ready").body()).contains("Kafka unreachable at " + bootstrap);
        assertThat(ops.get("/health/live").statusCode())
            .as("a broker outage is no reason to restart the worker")
            .isEqualTo(200);
        assertThat(worker.isRunning()).isTrue();

        broker.restart();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ops.get("/health/ready").statusCode() == 200);
        assertThat(ops.get("/health/ready").body()).isEqualTo("{\"status\":\"UP\"}");

        JobRequest job =
            JobRequest.builder("after-restart", "catalog", "a chair after the outage").build();
        try (var producer =
            new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
          producer
              .send(
                  new ProducerRecord<>(
                      "jobs", job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)))
              .get();
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    events.records().stream()
                        .map(r -> JobCodec.decodeEvent(r.value()))
                        .anyMatch(StatusEvent::isTerminal));
        assertThat(
                events.records().stream()
                    .map(r -> JobCodec.decodeEvent(r.value()))
                    .filter(StatusEvent::isTerminal)
                    .map(StatusEvent::status))
            .containsExactly(JobStatus.SUCCEEDED);
      } finally {
        worker.close();
      }
    }
  }
}
