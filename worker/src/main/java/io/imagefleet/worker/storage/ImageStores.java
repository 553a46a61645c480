package io.imagefleet.worker.storage;

import io.imagefleet.worker.config.StorageSettings;

/** Opens the image store that {@code storage.type} names. */
public final class ImageStores {
  private ImageStores() {}

  public static ImageStore open(StorageSettings settings) {
    return switch (settings.type()) {
      case LOCAL -> new LocalDirectoryImageStore(settings.directory(), settings.threads());
      case S3 -> new S3ImageStore(settings.s3().orElseThrow(), settings.threads());
    };
  }
}
