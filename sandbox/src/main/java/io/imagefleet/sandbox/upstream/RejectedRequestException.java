package io.imagefleet.sandbox.upstream;

/** A request the simulator refuses; carries the error answer to send. */
final class RejectedRequestException extends RuntimeException {

  private final transient ApiError error;

  RejectedRequestException(ApiError error) {
    super(error.status() + " " + error.code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  ApiError error() {
    return error;
  }
}
