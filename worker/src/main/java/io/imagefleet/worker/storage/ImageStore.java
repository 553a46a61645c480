package io.imagefleet.worker.storage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Durable storage for generated images. Implementations do their IO off the caller's thread. */
public interface ImageStore extends AutoCloseable {

  /**
   * Stores {@code bytes} under {@code key}, replacing what was there; completes with the durable
   * location (a URI) once the bytes are safely written.
   */
  CompletableFuture<String> put(ImageKey key, byte[] bytes);

  /**
   * Why this store cannot take images now, if it cannot: asked before the worker takes jobs, since
   * a job whose images cannot be stored has paid the upstream for nothing. Writes a small object of
   * the store's own, the same one every time, and says what went wrong without naming an endpoint
   * or a credential. Blocks, for at most the store's own timeouts.
   */
  Optional<String> writeRefusal();

  @Override
  void close();
}
