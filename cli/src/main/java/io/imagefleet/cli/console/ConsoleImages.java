package io.imagefleet.cli.console;

import io.imagefleet.worker.config.S3Settings;
import io.imagefleet.worker.storage.S3ImageReader.Read;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers to a page asking for a job's image, whole or as a thumbnail: {@link ImageGuard}
 * decides, {@link StoredImages} reads, {@link Thumbnailer} scales and {@link ThumbnailCache} keeps
 * what was scaled. Nothing in an answer or a log line names a location, an endpoint or a
 * credential: the page asks by job and index, and hears only whether it may see the image.
 *
 * <p>Called on the HTTP threads; thread safe.
 */
final class ConsoleImages implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleImages.class);

  /** A stored image larger than this is not shown (the upstream makes far smaller ones). */
  static final long MAX_IMAGE_BYTES = 20L * 1024 * 1024;

  /** A thumbnail's longer side: twice the page's thumbnail box, for sharp high-DPI screens. */
  static final int THUMBNAIL_SIDE = 256;

  /**
   * Beyond this a header's canvas is taken for a decompression bomb; upstream images are far
   * smaller.
   */
  static final long MAX_PIXELS = 40_000_000L;

  /** Thumbnails kept: a few pages' worth, a few megabytes. */
  static final int CACHED_THUMBNAILS = 500;

  static final long CACHED_BYTES = 32L * 1024 * 1024;

  /** Decoding is CPU and memory heavy: no more at once than a small machine has cores for. */
  static final int SCALING_AT_ONCE = 2;

  /**
   * A store that fails fails every page's every thumbnail: one log line per this interval, with the
   * count of those not logged.
   */
  static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);

  private static final String NOT_SERVED =
      "no such image in the console's storage directory or bucket\n";

  private final ImageGuard guard;
  private final StoredImages store;
  private final Thumbnailer thumbnailer;
  private final ThumbnailCache thumbnails;
  private final Semaphore scaling = new Semaphore(SCALING_AT_ONCE);
  private final AtomicLong nextFailureLog = new AtomicLong(System.nanoTime());
  private final AtomicInteger failuresNotLogged = new AtomicInteger();

  ConsoleImages(Path storageDirectory, Optional<S3Settings> s3) {
    this(
        new ImageGuard(storageDirectory, s3),
        new StoredImages(s3),
        new Thumbnailer(THUMBNAIL_SIDE, MAX_PIXELS),
        new ThumbnailCache(CACHED_THUMBNAILS, CACHED_BYTES));
  }

  ConsoleImages(
      ImageGuard guard, StoredImages store, Thumbnailer thumbnailer, ThumbnailCache thumbnails) {
    this.guard = guard;
    this.store = store;
    this.thumbnailer = thumbnailer;
    this.thumbnails = thumbnails;
  }

  /** What to send: an image, or a status with a line of text. */
  sealed interface Answer {}

  record Image(byte[] bytes, String contentType) implements Answer {}

  record Refusal(int status, String message) implements Answer {}

  /**
   * The whole stored image at {@code location} (from a job's event), if the console may show it.
   */
  Answer full(Optional<String> location) {
    Optional<ImageGuard.Servable> image = location.flatMap(guard::tryResolve);
    if (image.isEmpty()) {
      return new Refusal(404, NOT_SERVED);
    }
    Read read = store.read(image.get(), MAX_IMAGE_BYTES);
    return read instanceof Read.Found found
        ? new Image(found.bytes(), image.get().contentType())
        : refusal(read);
  }

  /** The image at {@code location} scaled down, from the cache when it was scaled lately. */
  Answer thumbnail(Optional<String> location) {
    Optional<ImageGuard.Servable> image = location.flatMap(guard::tryResolve);
    if (image.isEmpty()) {
      return new Refusal(404, NOT_SERVED);
    }
    Optional<Thumbnailer.Thumbnail> cached = thumbnails.tryGet(location.get());
    if (cached.isPresent()) {
      return new Image(cached.get().bytes(), cached.get().contentType());
    }
    Read read = store.read(image.get(), MAX_IMAGE_BYTES);
    if (!(read instanceof Read.Found found)) {
      return refusal(read);
    }
    Thumbnailer.Outcome outcome;
    try {
      if (!scaling.tryAcquire(10, TimeUnit.SECONDS)) {
        return new Refusal(503, "busy scaling other images, try again\n");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Refusal(503, "interrupted\n");
    }
    try {
      outcome = thumbnailer.scale(found.bytes());
    } finally {
      scaling.release();
    }
    if (outcome instanceof Thumbnailer.Scaled scaled) {
      thumbnails.put(location.get(), scaled.thumbnail());
      return new Image(scaled.thumbnail().bytes(), scaled.thumbnail().contentType());
    }
    if (outcome instanceof Thumbnailer.TooManyPixels) {
      return new Refusal(413, "image has too many pixels to scale\n");
    }
    // No decoder here (WebP): the browser has one, and scales the whole image itself.
    return new Image(found.bytes(), image.get().contentType());
  }

  /**
   * Checks once, at start, that the workers' bucket can be read, and logs why not: a console whose
   * thumbnails all fail says so before anyone opens a page.
   */
  void checkStore() {
    store
        .bucketRefusal()
        .ifPresent(
            why ->
                log.warn("the console shows no images from S3: {}; check --storage-config", why));
  }

  private Refusal refusal(Read read) {
    if (read instanceof Read.TooLarge) {
      return new Refusal(413, "image too large to show\n");
    }
    if (read instanceof Read.Failed failed) {
      logFailure(failed.reason());
      return new Refusal(502, "the image store did not answer; see the console's log\n");
    }
    return new Refusal(404, NOT_SERVED);
  }

  private void logFailure(String reason) {
    long now = System.nanoTime();
    long due = nextFailureLog.get();
    if (now - due >= 0 && nextFailureLog.compareAndSet(due, now + FAILURE_LOG_EVERY.toNanos())) {
      int more = failuresNotLogged.getAndSet(0);
      log.warn(
          "a stored image could not be read: {}{}",
          reason,
          more == 0 ? "" : " (and " + more + " more since the last such line)");
    } else {
      failuresNotLogged.incrementAndGet();
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
