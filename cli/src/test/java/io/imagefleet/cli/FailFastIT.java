package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command pointed at an address where nothing listens gives up within seconds, with one line that
 * names the address, {@code -b} and the environment variable, and exit code 3.
 */
class FailFastIT {

  @Test
  void submitToAClosedPortFailsWithinTwentySecondsNamingTheOption() throws IOException {
    String address = "127.0.0.1:" + closedPort();
    Instant start = Instant.now();
    CliRun.Output output =
        CliRun.split(3, "submit", "-b", address, "--tenant", "catalog", "--prompt", "a red chair");
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    assertThat(output.out()).isEmpty();
    List<String> said = output.err().lines().toList();
    assertThat(said).as("what it waits for, then one line of error").hasSize(2);
    assertThat(said.get(0))
        .isEqualTo("waiting for Kafka at " + address + " (gives up after 10 s)...");
    assertThat(said.get(1))
        .startsWith("error: ")
        .contains("cannot reach Kafka at " + address)
        .contains("nothing answered within 10 s")
        .contains("-b/--bootstrap-servers")
        .contains("IMAGEFLEET_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void verboseAddsTheStackTrace() throws IOException {
    String address = "127.0.0.1:" + closedPort();
    CliRun.Output output = CliRun.split(3, "status", "-b", address, "--verbose", "--no-endpoints");
    assertThat(output.err())
        .contains("cannot reach Kafka at " + address)
        .contains("\tat ")
        .contains("Caused by: org.apache.kafka.common.errors.TimeoutException");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
