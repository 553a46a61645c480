package io.imagefleet.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory a local run (the demo, the sandbox) may clear because it made it: it holds a marker
 * file written when the directory was claimed. A directory with other files and no marker is
 * someone else's (a checkout, a home directory, a file put there by hand) and is refused whole:
 * nothing in it is touched.
 */
public final class OwnedDirectory {
  /** The marker's name: a dot file, so that listing the directory shows the run's own files. */
  public static final String MARKER = ".imagefleet-owned";

  private OwnedDirectory() {}

  /**
   * Makes {@code dir} ready and empty for {@code tool}'s run: creates it if missing, empties it if
   * an earlier run made it, claims it if it is empty. Returns its absolute path.
   *
   * @throws ForeignDirectoryException if it holds anything, and no earlier run made it
   */
  public static Path claim(Path dir, String tool) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    if (Files.exists(root)) {
      if (!Files.isDirectory(root)) {
        throw new ForeignDirectoryException(
            root + " is a file, not a directory: nothing was changed");
      }
      Path marker = root.resolve(MARKER);
      if (!Files.exists(marker)) {
        Optional<Path> other = firstEntry(root);
        if (other.isPresent()) {
          throw new ForeignDirectoryException(
              root
                  + " is not empty and was not made by imagefleet (it holds "
                  + other.get().getFileName()
                  + "): nothing was deleted. Pass a new or empty directory, e.g. --data-dir"
                  + " data/"
                  + tool);
        }
      }
      clearAllBut(root, marker);
    }
    Files.createDirectories(root);
    Files.writeString(
        root.resolve(MARKER),
        "Made by 'imagefleet " + tool + "'. Its next run clears this directory.\n",
        StandardCharsets.UTF_8);
    return root;
  }

  private static Optional<Path> firstEntry(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().findFirst();
    }
  }

  private static void clearAllBut(Path root, Path marker) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(root) && !p.equals(marker)) {
          Files.delete(p);
        }
      }
    }
  }

  /** The directory belongs to someone else; its message says so and what to pass instead. */
  public static final class ForeignDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    ForeignDirectoryException(String message) {
      super(message);
    }
  }
}
