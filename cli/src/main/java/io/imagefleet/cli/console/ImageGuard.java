package io.imagefleet.cli.console;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which stored image file the console may read. A location comes from an event on Kafka,
 * and whoever can write to the events topic writes it; so the console reads a file only when the
 * location is a {@code file:} URI whose real path (links resolved) lies under the storage
 * directory, is a regular file and has an image's extension. Anything else (an {@code s3:} key, a
 * relative or odd URI, {@code ..}, a link out of the directory) is refused.
 *
 * <p>Stateless apart from the directory; safe on any thread.
 */
final class ImageGuard {
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "png", "image/png",
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "webp", "image/webp",
          "gif", "image/gif");

  private final Path directory;

  ImageGuard(Path storageDirectory) {
    this.directory = storageDirectory.toAbsolutePath().normalize();
  }

  /** A stored image the console may serve: its real path and its media type. */
  record Servable(Path path, String contentType) {}

  /** The file behind {@code location}, when it is an image under the storage directory. */
  Optional<Servable> tryResolve(String location) {
    if (location == null || location.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
    if (!"file".equalsIgnoreCase(uri.getScheme())
        || uri.isOpaque()
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty())) {
      return Optional.empty();
    }
    Path real;
    Path root;
    try {
      // Real paths on both sides: a link inside the directory that points out of it is refused.
      real = Path.of(uri).toRealPath();
      root = directory.toRealPath();
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
    if (!real.startsWith(root) || real.equals(root) || !Files.isRegularFile(real)) {
      return Optional.empty();
    }
    String name = real.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String type =
        dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    return type == null ? Optional.empty() : Optional.of(new Servable(real, type));
  }
}
