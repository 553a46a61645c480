package io.imagefleet.worker.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ImageStore} in a local directory: {@code <root>/<tenant>/<job>/attempt-<n>/<index>.<ext>}.
 * Writes go to a temporary file first and are moved into place atomically, so a crash never leaves
 * a half-written image under the final name. Disk work runs on its own small pool.
 *
 * <p>Temporary names are this store's own ({@code .<name>.<store>-<n>.part}), not {@link
 * Files#createTempFile}'s: that one asks a shared {@code SecureRandom} for every name, which costs
 * more CPU than the write itself. The store's random prefix keeps names apart between processes
 * writing into one directory.
 */
public final class LocalDirectoryImageStore implements ImageStore {
  private final Path root;
  private final ExecutorService io;
  private final String tempPrefix = Long.toHexString(new SecureRandom().nextLong());
  private final AtomicLong tempCounter = new AtomicLong();

  public LocalDirectoryImageStore(Path root, int threads) {
    this.root = root.toAbsolutePath().normalize();
    AtomicInteger n = new AtomicInteger();
    this.io =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "storage-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public CompletableFuture<String> put(ImageKey key, byte[] bytes) {
    return CompletableFuture.supplyAsync(() -> write(key, bytes), io);
  }

  private String write(ImageKey key, byte[] bytes) {
    Path target = root.resolve(key.relativePath()).normalize();
    if (!target.startsWith(root)) {
      throw new IllegalArgumentException(
          "image key escapes the storage directory: " + key.relativePath());
    }
    Path temp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + "."
                + tempPrefix
                + "-"
                + tempCounter.incrementAndGet()
                + ".part");
    try {
      Files.createDirectories(target.getParent());
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target.toUri().toString();
    } catch (IOException e) {
      // A half-written temporary file (disk full, say) is litter: the job fails or retries.
      deleteQuietly(temp);
      throw new UncheckedIOException("cannot store " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the directory if need be, then writes and deletes a file of this store's own in it:
   * what a missing mount, a read-only volume or another owner's directory refuses.
   */
  @Override
  public Optional<String> writeRefusal() {
    Path check = root.resolve(".imagefleet-write-check." + tempPrefix);
    try {
      Files.createDirectories(root);
      Files.write(check, new byte[] {1});
      Files.delete(check);
      return Optional.empty();
    } catch (IOException e) {
      deleteQuietly(check);
      return Optional.of(
          "the storage directory "
              + root
              + " takes no writes ("
              + e.getClass().getSimpleName()
              + "): check storage.directory and its permissions");
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // the store's error is the one that matters
    }
  }

  @Override
  public void close() {
    io.shutdown();
  }
}
