package io.imagefleet.cli.console;

import io.imagefleet.worker.config.S3Settings;
import io.imagefleet.worker.storage.S3ImageReader;
import io.imagefleet.worker.storage.S3ImageReader.Read;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * Reads the bytes of an image {@link ImageGuard} allowed: from the storage directory, or from the
 * workers' bucket with the console's own S3 client. Whole images up to a limit, as the console
 * holds them in memory to answer or to scale them.
 *
 * <p>Thread safe: the S3 client is, and files are opened per read.
 */
final class StoredImages implements AutoCloseable {
  private final Optional<S3ImageReader> s3;

  StoredImages(Optional<S3Settings> s3) {
    this.s3 = s3.map(S3ImageReader::new);
  }

  /** The image's bytes if it holds at most {@code maxBytes}, or why not. */
  Read read(ImageGuard.Servable image, long maxBytes) {
    if (image instanceof ImageGuard.LocalImage file) {
      return readFile(file, maxBytes);
    }
    String key = ((ImageGuard.S3Image) image).key();
    // The guard lets no S3 location through without a bucket to read it from.
    return s3.orElseThrow().read(key, maxBytes);
  }

  private static Read readFile(ImageGuard.LocalImage file, long maxBytes) {
    try (InputStream in = Files.newInputStream(file.path())) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      return bytes.length > maxBytes ? new Read.TooLarge() : new Read.Found(bytes);
    } catch (NoSuchFileException e) {
      return new Read.Missing();
    } catch (IOException e) {
      return new Read.Failed("reading the file failed: " + e.getClass().getSimpleName());
    }
  }

  /** Why the workers' bucket cannot be read, when the console reads one and cannot. */
  Optional<String> bucketRefusal() {
    return s3.flatMap(S3ImageReader::readRefusal);
  }

  @Override
  public void close() {
    s3.ifPresent(S3ImageReader::close);
  }
}
