package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BreakerOpeningsTest {
  @TempDir Path dir;

  @Test
  void countsEveryTransitionToOpenInEveryWorkersLog() throws Exception {
    Path first =
        Files.writeString(
            dir.resolve("worker-1.log"),
            String.join(
                "\n",
                "12:00:01.000 WARN  [r4j] RouteMetrics - circuit breaker of route gpt-image-1.5: "
                    + "State transition from CLOSED to OPEN",
                "12:00:06.000 WARN  [r4j] RouteMetrics - circuit breaker of route gpt-image-1.5: "
                    + "State transition from OPEN to HALF_OPEN",
                "12:00:07.000 WARN  [r4j] RouteMetrics - circuit breaker of route gpt-image-1.5: "
                    + "State transition from HALF_OPEN to OPEN",
                "12:00:12.000 WARN  [r4j] RouteMetrics - circuit breaker of route gpt-image-1.5: "
                    + "State transition from HALF_OPEN to CLOSED",
                "12:00:13.000 WARN  [main] JobLog - job j-1 ... OPEN question"));
    Path second =
        Files.writeString(
            dir.resolve("worker-2.log"),
            "12:00:02.000 WARN  [r4j] RouteMetrics - circuit breaker of route gpt-image-1: "
                + "State transition from CLOSED to OPEN\n");

    assertThat(BreakerOpenings.count(List.of(first, second, dir.resolve("worker-3.log"))))
        .isEqualTo(3);
  }
}
