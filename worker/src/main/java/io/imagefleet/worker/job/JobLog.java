package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs a job's state changes with {@code job_id}, {@code tenant} and {@code attempt} in the MDC.
 * Job work hops between threads, so the MDC is set around each line rather than once per thread.
 */
final class JobLog {
  /** The logger of every step of a job's life: an operator follows a job under one logger name. */
  static final Logger RUN = LoggerFactory.getLogger(JobRun.class);

  private JobLog() {}

  static void info(Logger log, JobRequest job, String format, Object... args) {
    if (!log.isInfoEnabled()) {
      return;
    }
    try (var a = MDC.putCloseable("job_id", job.jobId());
        var b = MDC.putCloseable("tenant", job.tenant());
        var c = MDC.putCloseable("attempt", String.valueOf(job.attempt()))) {
      log.info(format, args);
    }
  }

  static void warn(Logger log, JobRequest job, String format, Object... args) {
    try (var a = MDC.putCloseable("job_id", job.jobId());
        var b = MDC.putCloseable("tenant", job.tenant());
        var c = MDC.putCloseable("attempt", String.valueOf(job.attempt()))) {
      log.warn(format, args);
    }
  }
}
