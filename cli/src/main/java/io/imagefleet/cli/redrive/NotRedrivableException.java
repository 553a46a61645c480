package io.imagefleet.cli.redrive;

/** A dead letter that cannot be republished as it was: the record behind it is gone or unread. */
public final class NotRedrivableException extends RuntimeException {
  NotRedrivableException(String message) {
    super(message);
  }
}
