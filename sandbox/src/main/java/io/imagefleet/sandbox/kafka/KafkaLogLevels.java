package io.imagefleet.sandbox.kafka;

import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets Kafka's own loggers to WARN when the application's logging config leaves them unset: an
 * in-process broker logs hundreds of INFO lines at start, drowning the test output. Only Logback is
 * adjusted (it is an optional dependency of this module); with any other binding nothing changes.
 */
final class KafkaLogLevels {

  static final List<String> KAFKA_LOGGERS =
      List.of("kafka", "org.apache.kafka", "state.change.logger");

  private KafkaLogLevels() {}

  static void quietUnlessConfigured() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (isLogbackPresent() && LogbackLevels.accepts(factory)) {
      LogbackLevels.setWarnIfUnset(factory, KAFKA_LOGGERS);
    }
  }

  private static boolean isLogbackPresent() {
    try {
      Class.forName(
          "ch.qos.logback.classic.LoggerContext", false, KafkaLogLevels.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
