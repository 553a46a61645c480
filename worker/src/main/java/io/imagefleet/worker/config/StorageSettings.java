package io.imagefleet.worker.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where images are saved.
 *
 * @param type {@code local} (a directory, the default) or {@code s3} (an S3-compatible object
 *     store)
 * @param directory root of the local directory store
 * @param threads threads that write images (storage IO stays off the intake and HTTP threads)
 * @param s3 the object store's settings, present exactly when {@code type} is {@code s3}
 */
public record StorageSettings(Type type, Path directory, int threads, Optional<S3Settings> s3) {
  /** The kinds of image store. */
  public enum Type {
    LOCAL,
    S3
  }

  static final Key TYPE = Key.of("storage.type", "local");
  static final Key DIRECTORY = Key.of("storage.directory", "data/images");
  static final Key THREADS = Key.of("storage.threads", "4");
  static final List<Key> KEYS = List.of(TYPE, DIRECTORY, THREADS);

  public StorageSettings {
    Objects.requireNonNull(type, TYPE.name());
    Objects.requireNonNull(directory, DIRECTORY.name());
    Checks.positive(THREADS, threads);
    Objects.requireNonNull(s3, "storage.s3");
    if ((type == Type.S3) != s3.isPresent()) {
      throw new ConfigException(
          "storage.s3.* settings are needed exactly when " + TYPE.name() + " is s3");
    }
  }

  /** A local directory store. */
  public StorageSettings(Path directory, int threads) {
    this(Type.LOCAL, directory, threads, Optional.empty());
  }

  static StorageSettings from(ConfigReader r) {
    String typeText = r.string(TYPE).toLowerCase(Locale.ROOT);
    Type type =
        switch (typeText) {
          case "local" -> Type.LOCAL;
          case "s3" -> Type.S3;
          default ->
              throw new ConfigException(
                  TYPE.name() + " must be local or s3, but was '" + typeText + "'");
        };
    return new StorageSettings(
        type,
        Path.of(r.string(DIRECTORY)),
        r.integer(THREADS),
        type == Type.S3 ? Optional.of(S3Settings.from(r)) : Optional.empty());
  }
}
