package io.imagefleet.cli;

/**
 * A problem the person at the terminal can fix; the message says how. Printed without a stack
 * trace.
 */
final class UserError extends RuntimeException {
  UserError(String message) {
    super(message);
  }
}
