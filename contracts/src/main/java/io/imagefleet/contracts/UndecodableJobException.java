package io.imagefleet.contracts;

/**
 * A record could not be read as a message at all: not JSON, not a JSON object, or a field of the
 * wrong JSON type. Such a record cannot be answered with a status event, so it belongs on the
 * dead-letter topic; the message says what is wrong and is safe to put in a header (it never
 * contains the record's content beyond a short excerpt).
 *
 * <p>Thrown by {@link JobCodec}. A message that is readable but breaks a rule (say {@code "n": 50})
 * is not undecodable: it decodes, and {@link JobValidator} reports it.
 */
public class UndecodableJobException extends RuntimeException {
  public UndecodableJobException(String message) {
    super(message);
  }

  public UndecodableJobException(String message, Throwable cause) {
    super(message, cause);
  }
}
