package io.imagefleet.worker.config;

/** Configuration that cannot run; the message names the key and the value's problem. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
