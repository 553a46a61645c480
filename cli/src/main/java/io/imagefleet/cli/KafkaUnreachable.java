package io.imagefleet.cli;

/**
 * Kafka did not answer, or refused the connection: the message names the address tried and the
 * options that change it. Printed without a stack trace unless {@code --verbose}.
 */
final class KafkaUnreachable extends RuntimeException {
  KafkaUnreachable(String message, Throwable cause) {
    super(message, cause);
  }

  /** A client's message on one line, without its cause chain. */
  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }
}
