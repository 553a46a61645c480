package io.imagefleet.worker.cli;

/**
 * The exit statuses of every {@code bin/imagefleet} command and of the worker, one table for
 * scripts (docs/cli.md). A number keeps its meaning in every command, so a script can branch on it
 * without knowing which command it ran.
 */
public enum ExitCode {
  /** The command did what it was asked; a followed job SUCCEEDED. */
  OK(0),
  /** A followed job ended FAILED, or a run's own check found a fault (demo, soak, chaos, bench). */
  FAILED(1),
  /** The command line, a job, a file or the configuration is wrong; the message says what. */
  USAGE(2),
  /** Kafka did not answer in time or refused the connection; nothing was changed. */
  KAFKA_UNREACHABLE(3),
  /** {@code --timeout} passed before the followed job ended; it may still end later. */
  TIMED_OUT(4),
  /** An unexpected error (a bug, or a worker whose intake stopped); the message says which. */
  INTERNAL(70);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
