package io.imagefleet.sandbox.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.ILoggerFactory;

/**
 * The Logback-specific half of {@link KafkaLogLevels}; loaded only when Logback is on the
 * classpath.
 */
final class LogbackLevels {

  private LogbackLevels() {}

  static boolean accepts(ILoggerFactory factory) {
    return factory instanceof LoggerContext;
  }

  static void setWarnIfUnset(ILoggerFactory factory, List<String> names) {
    LoggerContext context = (LoggerContext) factory;
    for (String name : names) {
      Logger logger = context.getLogger(name);
      if (logger.getLevel() == null) {
        logger.setLevel(Level.WARN);
      }
    }
  }
}
