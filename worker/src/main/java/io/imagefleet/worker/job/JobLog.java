package io.imagefleet.worker.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs a job's state changes with {@code job_id}, {@code tenant}, {@code attempt} and, when the job
 * is traced, {@code trace_id} in the MDC. Job work hops between threads, so the MDC is set around
 * each line rather than once per thread.
 */
final class JobLog {
  /** The logger of every step of a job's life: an operator follows a job under one logger name. */
  static final Logger RUN = LoggerFactory.getLogger(JobRun.class);

  private JobLog() {}

  static void info(Logger log, Attempt attempt, String format, Object... args) {
    if (!log.isInfoEnabled()) {
      return;
    }
    try {
      describe(attempt);
      log.info(format, args);
    } finally {
      forget();
    }
  }

  static void warn(Logger log, Attempt attempt, String format, Object... args) {
    try {
      describe(attempt);
      log.warn(format, args);
    } finally {
      forget();
    }
  }

  /** As SLF4J: a {@link Throwable} last in {@code args} is logged with its stack trace. */
  static void error(Logger log, Attempt attempt, String format, Object... args) {
    try {
      describe(attempt);
      log.error(format, args);
    } finally {
      forget();
    }
  }

  private static void describe(Attempt attempt) {
    MDC.put("job_id", attempt.job().jobId());
    MDC.put("tenant", attempt.job().tenant());
    MDC.put("attempt", String.valueOf(attempt.job().attempt()));
    String traceId = attempt.trace().traceId();
    if (traceId != null) {
      MDC.put("trace_id", traceId);
    }
  }

  private static void forget() {
    MDC.remove("job_id");
    MDC.remove("tenant");
    MDC.remove("attempt");
    MDC.remove("trace_id");
  }
}
