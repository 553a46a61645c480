package io.imagefleet.worker.fleet;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of this JVM, rendered as the JSON log format renders it (message, MDC,
 * arguments, stack trace), so a test can search the logs the way an operator's log store would.
 * Kafka's clients log at INFO while capturing (their config dumps included); levels are restored on
 * close.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final JsonEncoder json = new JsonEncoder();
  private final Logger root;
  private final Logger kafka;
  private final Level kafkaLevel;

  LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    setContext(context);
    setName("log-capture");
    json.setContext(context);
    json.start();
    start();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    kafka = context.getLogger("org.apache.kafka");
    kafkaLevel = kafka.getLevel();
    kafka.setLevel(Level.INFO);
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(new String(json.encode(event), StandardCharsets.UTF_8));
    if (event.getThrowableProxy() != null) {
      line.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    lines.add(line.toString());
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Lines of loggers whose name starts with {@code prefix}. */
  List<String> linesOf(String prefix) {
    return lines.stream().filter(l -> l.contains("\"loggerName\":\"" + prefix)).toList();
  }

  @Override
  public void close() {
    root.detachAppender(this);
    kafka.setLevel(kafkaLevel);
    stop();
  }
}
