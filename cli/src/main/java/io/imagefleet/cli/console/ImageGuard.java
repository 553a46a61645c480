package io.imagefleet.cli.console;

import io.imagefleet.worker.config.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which stored image the console may read. A location comes from an event on Kafka, and
 * whoever can write to the events topic writes it; so the console reads only
 *
 * <ul>
 *   <li>a {@code file:} URI whose real path (links resolved) lies under the storage directory, is a
 *       regular file and has an image's extension, or
 *   <li>an {@code s3:} URI in the configured bucket whose key starts with the configured prefix, is
 *       made of plain path segments (no {@code .} or {@code ..}, no empty segment, no escapes) and
 *       has an image's extension.
 * </ul>
 *
 * Anything else (another bucket, a relative or odd URI, a link out of the directory) is refused. S3
 * keys are not paths, but some S3-compatible servers normalise them as if they were; a key that
 * only such normalising could bring under the prefix is refused.
 *
 * <p>Stateless apart from its settings; safe on any thread.
 */
final class ImageGuard {
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "png", "image/png",
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "webp", "image/webp",
          "gif", "image/gif");

  /** The characters of the keys workers write (tenants and job ids are validated path-safe). */
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9._/-]+");

  private final Path directory;
  private final Optional<S3Settings> s3;

  ImageGuard(Path storageDirectory, Optional<S3Settings> s3) {
    this.directory = storageDirectory.toAbsolutePath().normalize();
    this.s3 = s3;
  }

  /** A stored image the console may serve. */
  sealed interface Servable {
    String contentType();
  }

  /** A file under the storage directory: its real path. */
  record LocalImage(Path path, String contentType) implements Servable {}

  /** An object in the configured bucket: its key. */
  record S3Image(String key, String contentType) implements Servable {}

  /** The stored image behind {@code location}, when the console may serve it. */
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
    if (uri.isOpaque() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return Optional.empty();
    }
    if ("file".equalsIgnoreCase(uri.getScheme())) {
      return tryLocal(uri);
    }
    if ("s3".equalsIgnoreCase(uri.getScheme())) {
      return tryS3(uri);
    }
    return Optional.empty();
  }

  private Optional<Servable> tryLocal(URI uri) {
    if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
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
    return contentType(real.getFileName().toString()).map(t -> new LocalImage(real, t));
  }

  private Optional<Servable> tryS3(URI uri) {
    if (s3.isEmpty() || !s3.get().bucket().equals(uri.getRawAuthority())) {
      return Optional.empty();
    }
    String path = uri.getRawPath();
    if (path == null || !path.startsWith("/")) {
      return Optional.empty();
    }
    String key = path.substring(1);
    if (!PLAIN_KEY.matcher(key).matches() || !key.startsWith(s3.get().prefix())) {
      return Optional.empty();
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || ".".equals(segment) || "..".equals(segment)) {
        return Optional.empty();
      }
    }
    return contentType(key).map(t -> new S3Image(key, t));
  }

  private static Optional<String> contentType(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    if (dot <= slash + 1) {
      return Optional.empty();
    }
    return Optional.ofNullable(CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }
}
