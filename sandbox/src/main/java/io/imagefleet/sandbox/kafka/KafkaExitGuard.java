package io.imagefleet.sandbox.kafka;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a broker failure from ending the JVM: Kafka calls {@code Exit.exit}/{@code Exit.halt} on
 * fatal faults, which in-process would kill the test runner along with the broker. Replaced (once,
 * JVM-wide) by procedures that log and throw, as Kafka's own test harness does.
 */
final class KafkaExitGuard {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaExitGuard.class);
  private static boolean installed;

  private KafkaExitGuard() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    Exit.setExitProcedure(
        (status, message) -> {
          LOG.error("Embedded Kafka asked to exit the JVM with status {}: {}", status, message);
          throw new IllegalStateException(
              "embedded Kafka requested exit(" + status + "): " + message);
        });
    Exit.setHaltProcedure(
        (status, message) -> {
          LOG.error("Embedded Kafka asked to halt the JVM with status {}: {}", status, message);
          throw new IllegalStateException(
              "embedded Kafka requested halt(" + status + "): " + message);
        });
    installed = true;
  }
}
