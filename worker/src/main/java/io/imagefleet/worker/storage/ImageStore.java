package io.imagefleet.worker.storage;

import java.util.concurrent.CompletableFuture;

/** Durable storage for generated images. Implementations do their IO off the caller's thread. */
public interface ImageStore extends AutoCloseable {

  /**
   * Stores {@code bytes} under {@code key}, replacing what was there; completes with the durable
   * location (a URI) once the bytes are safely written.
   */
  CompletableFuture<String> put(ImageKey key, byte[] bytes);

  @Override
  void close();
}
