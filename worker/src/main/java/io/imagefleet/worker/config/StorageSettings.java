package io.imagefleet.worker.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where images are saved.
 *
 * @param directory root of the local directory store
 * @param threads   threads that write files (disk work stays off the intake and HTTP threads)
 */
public record StorageSettings(Path directory, int threads) {
  public StorageSettings {
    Objects.requireNonNull(directory, "storage.directory");
    Checks.positive("storage.threads", threads);
  }
}
