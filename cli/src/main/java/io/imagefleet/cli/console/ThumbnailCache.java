package io.imagefleet.cli.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The thumbnails made lately, by stored location, so that a page of thumbnails opened again reads
 * no image twice. Bounded by count and by bytes; the least recently used leave first. A location
 * names one attempt's image, which is written once, so an entry never goes stale.
 *
 * <p>Thread safe: every method holds the cache's lock, and none does work under it beyond the map.
 */
final class ThumbnailCache {
  private final int maxEntries;
  private final long maxBytes;
  private final LinkedHashMap<String, Thumbnailer.Thumbnail> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  ThumbnailCache(int maxEntries, long maxBytes) {
    if (maxEntries <= 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("maxEntries and maxBytes must be > 0");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  synchronized Optional<Thumbnailer.Thumbnail> tryGet(String location) {
    return Optional.ofNullable(entries.get(location));
  }

  synchronized void put(String location, Thumbnailer.Thumbnail thumbnail) {
    if (thumbnail.bytes().length > maxBytes) {
      return;
    }
    Thumbnailer.Thumbnail old = entries.put(location, thumbnail);
    if (old != null) {
      bytes -= old.bytes().length;
    }
    bytes += thumbnail.bytes().length;
    var eldest = entries.entrySet().iterator();
    while (entries.size() > maxEntries || bytes > maxBytes) {
      Map.Entry<String, Thumbnailer.Thumbnail> e = eldest.next();
      bytes -= e.getValue().bytes().length;
      eldest.remove();
    }
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
