package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.sandbox.upstream.SimulatorConfig;
import io.imagefleet.sandbox.upstream.UpstreamSimulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker that cannot start says why in one line, with what to do, and exits non-zero: run as an
 * operator runs it, a process of its own against the real broker.
 */
class WorkerStartIT {
  private static UpstreamSimulator simulator;
  private static TestFleet fleet;

  @BeforeAll
  static void start() throws Exception {
    simulator = UpstreamSimulator.start(SimulatorConfig.builder().build());
    fleet = new TestFleet(simulator);
  }

  @AfterAll
  static void stop() {
    fleet.close();
    simulator.close();
  }

  @Test
  void anUnknownKeyStopsTheWorkerNamingTheKeyAndTheOneMeant() throws Exception {
    Result r = run("typo", Map.of("intake.max-inflight", "64"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errorLines())
        .containsExactly(
            "error: intake.max-inflight is not a configuration key: did you mean"
                + " intake.max-in-flight? (every key: docs/configuration.md)");
  }

  @Test
  void aTakenPortIsOneLineThatSaysOpsPortZero() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Result r = run("port", Map.of("ops.port", String.valueOf(taken.getLocalPort())));
      assertThat(r.exit()).isEqualTo(69);
      assertThat(r.errorLines()).hasSize(1);
      assertThat(r.errorLines().get(0))
          .startsWith("error: the ops endpoint cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("set ops.port=0 (a free port) or another port");
      assertThat(r.output()).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  void aMissingTopicIsNamedWithTheCommandThatCreatesIt() throws Exception {
    Result r = run("topic", Map.of("topics.jobs", "no-such-jobs-topic"));
    assertThat(r.exit()).isEqualTo(69);
    assertThat(r.errorLines())
        .singleElement()
        .asString()
        .startsWith("error: topic no-such-jobs-topic does not exist")
        .contains("bin/imagefleet topics");
    assertThat(r.output()).doesNotContain("\tat ");
  }

  @Test
  void anUnreachableBrokerIsNamedWithItsKeyWithinSeconds() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Instant started = Instant.now();
    Result r = run("nobroker", Map.of("kafka.bootstrap.servers", "127.0.0.1:" + closed));
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(25));
    assertThat(r.exit()).isEqualTo(69);
    assertThat(r.errorLines())
        .singleElement()
        .asString()
        .startsWith("error: no Kafka broker answered at 127.0.0.1:" + closed)
        .contains("kafka.bootstrap.servers", "IMAGEFLEET_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(r.output()).doesNotContain("\tat ");
  }

  private record Result(int exit, String output) {
    List<String> errorLines() {
      return output.lines().filter(l -> l.startsWith("error:")).toList();
    }
  }

  private static Result run(String workerId, Map<String, String> overrides) throws Exception {
    Process p = fleet.startWorkerProcess(workerId, overrides);
    assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("the worker gave up").isTrue();
    return new Result(
        p.exitValue(), Files.readString(fleet.processLog(workerId), StandardCharsets.UTF_8));
  }
}
