package io.imagefleet.worker.storage;

/** Downloaded bytes that are not the image that was asked for; such bytes are never stored. */
public class UnusableImageException extends Exception {
  public UnusableImageException(String message) {
    super(message);
  }
}
