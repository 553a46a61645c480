package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.DurationDistribution;
import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import io.imagefleet.worker.Worker;
import io.imagefleet.worker.metrics.WorkerStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ops endpoint of a real worker on a real broker: metrics move as jobs run; health; status;
 * heartbeat.
 */
class OperationsIT {
  private static final String ROUTE = "gpt-image-1.5";
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator =
        UpstreamSimulator.start(
            SimulatorConfig.builder()
                .taskDuration(
                    DurationDistribution.uniform(Duration.ofMillis(200), Duration.ofMillis(400)))
                .build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @Test
  void metricsMoveAsJobsRun() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker worker = fleet.startWorker("ops-metrics-1");
      OpsEndpoint ops = new OpsEndpoint(worker);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  worker.assignedPartitions() == TestFleet.PARTITIONS
                      && ops.get("/health/ready").statusCode() == 200);
      assertThat(ops.value("imagefleet_jobs_total", "status", "SUCCEEDED")).isZero();
      assertThat(ops.value("imagefleet_partitions_assigned")).isEqualTo(TestFleet.PARTITIONS);

      fleet.submit(job("ops-slow-1", "a slow chair [sim:duration=4s]"));
      fleet.submit(job("ops-slow-2", "a slow table [sim:duration=4s]"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ops.value("imagefleet_jobs_in_flight") == 2);

      fleet.submit(job("ops-refused", "a chair [sim:fail=content_policy_violation]"));
      fleet.submit(job("ops-retried", "a lamp [sim:create=503x1]"));
      fleet.send(
          "ops-bad".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fleet.terminalEvents().size() == 4 && fleet.deadLetters().size() == 1);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                String m = ops.metrics();
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_jobs_total", "status", "SUCCEEDED", "route", ROUTE))
                    .isEqualTo(3);
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_jobs_total", "status", "FAILED", "route", ROUTE))
                    .isEqualTo(1);
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_jobs_total", "status", "ACCEPTED", "route", ROUTE))
                    .isEqualTo(4);
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_job_failures_total", "code", "content_policy_violation"))
                    .isEqualTo(1);
                assertThat(OpsEndpoint.sum(m, "imagefleet_jobs_in_flight")).isZero();
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_dead_letters_total", "reason", "undecodable"))
                    .isEqualTo(1);
                assertThat(OpsEndpoint.sum(m, "imagefleet_upstream_retries_total", "route", ROUTE))
                    .isGreaterThanOrEqualTo(1);
                assertThat(
                        OpsEndpoint.sum(
                            m,
                            "imagefleet_upstream_latency_seconds_count",
                            "route",
                            ROUTE,
                            "outcome",
                            "success"))
                    .as("create and query calls timed")
                    .isGreaterThanOrEqualTo(6);
                assertThat(
                        OpsEndpoint.sum(
                            m,
                            "imagefleet_upstream_latency_seconds_count",
                            "route",
                            ROUTE,
                            "outcome",
                            "failure"))
                    .as("the 503 answer timed")
                    .isGreaterThanOrEqualTo(1);
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_upstream_latency_seconds_bucket", "route", ROUTE))
                    .isPositive();
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_breaker_state", "route", ROUTE, "state", "CLOSED"))
                    .isEqualTo(1);
                assertThat(
                        OpsEndpoint.sum(
                            m, "imagefleet_breaker_state", "route", ROUTE, "state", "OPEN"))
                    .isZero();
              });
      double spent =
          fleet.terminalEvents().values().stream()
              .flatMap(List::stream)
              .filter(e -> e.costUsd() != null)
              .mapToDouble(e -> e.costUsd().doubleValue())
              .sum();
      assertThat(ops.value("imagefleet_spend_usd_total", "tenant", "catalog", "route", ROUTE))
          .isPositive()
          .isCloseTo(spent, Offset.offset(1e-9));

      // Consumer lag per partition, from the Kafka client's own metrics (found by the binder's
      // refresh).
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(ops.metrics())
                      .containsPattern(
                          "kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\"\\d+\"[^}]*topic=\""
                              + Pattern.quote(fleet.jobsTopic())
                              + "\""));
    }
  }

  @Test
  void publishesItsStatusOnTheEndpointAndAsAHeartbeat() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker worker = fleet.startWorker("ops-status-1");
      OpsEndpoint ops = new OpsEndpoint(worker);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  worker.assignedPartitions() == TestFleet.PARTITIONS
                      && ops.get("/health/ready").statusCode() == 200);

      WorkerStatus status =
          WorkerStatus.fromJson(ops.get("/status").body().getBytes(StandardCharsets.UTF_8));
      assertThat(status.workerId()).isEqualTo("ops-status-1");
      assertThat(status.assignedPartitions()).isEqualTo(TestFleet.PARTITIONS);
      assertThat(status.breakers()).containsEntry(ROUTE, "CLOSED");
      assertThat(status.ready()).isTrue();
      assertThat(status.opsUrl()).endsWith(":" + worker.operations().port());
      assertThat(ops.get("/health/live").statusCode()).isEqualTo(200);

      try (KafkaConsumer<byte[], byte[]> heartbeats = reader(fleet)) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  heartbeats.poll(Duration.ofMillis(200)).forEach(seen::add);
                  return seen.stream()
                      .anyMatch(
                          r ->
                              r.value() != null
                                  && WorkerStatus.fromJson(r.value()).assignedPartitions()
                                      == TestFleet.PARTITIONS);
                });
        assertThat(new String(seen.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("ops-status-1");

        worker.close();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  heartbeats.poll(Duration.ofMillis(200)).forEach(seen::add);
                  return seen.get(seen.size() - 1).value() == null;
                });
      }
    }
  }

  @Test
  void isNotReadyWhileSpendingIsStoppedAndSaysWhy() throws Exception {
    try (TestFleet fleet = new TestFleet(simulator)) {
      Worker worker = fleet.startWorker("ops-spending-1", Map.of("outage.probe-interval", "1s"));
      OpsEndpoint ops = new OpsEndpoint(worker);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ops.get("/health/ready").statusCode() == 200);

      simulator.setQuotaExhausted(true);
      try {
        fleet.submit(job("ops-quota", "a chair while the credit is gone"));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> ops.get("/health/ready").statusCode() == 503);
        assertThat(ops.get("/health/ready").body())
            .contains("\"status\":\"DOWN\"")
            .contains("spending stopped");
        assertThat(ops.get("/health/live").statusCode())
            .as("stopped spending is no reason to restart")
            .isEqualTo(200);
      } finally {
        simulator.setQuotaExhausted(false);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ops.get("/health/ready").statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.terminalEvents().containsKey("ops-quota"));
      assertThat(fleet.terminalEvents().get("ops-quota"))
          .extracting(StatusEvent::status)
          .containsExactly(JobStatus.SUCCEEDED);
    }
  }

  private static JobRequest job(String id, String prompt) {
    return JobRequest.builder(id, "catalog", prompt).build();
  }

  private static KafkaConsumer<byte[], byte[]> reader(TestFleet fleet) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    TopicPartition tp = new TopicPartition(fleet.workersTopic(), 0);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    return consumer;
  }
}
