package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThumbnailCacheTest {
  @Test
  void keepsAtMostItsCountAndDropsTheLeastRecentlyUsed() {
    ThumbnailCache cache = new ThumbnailCache(3, 1_000_000);
    for (String location : new String[] {"a", "b", "c"}) {
      cache.put(location, thumb(10));
    }
    cache.tryGet("a");

    cache.put("d", thumb(10));

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.tryGet("b")).isEmpty();
    assertThat(cache.tryGet("a")).isPresent();
    assertThat(cache.tryGet("c")).isPresent();
    assertThat(cache.tryGet("d")).isPresent();
  }

  @Test
  void keepsAtMostItsBytes() {
    ThumbnailCache cache = new ThumbnailCache(500, 100);
    for (int i = 0; i < 50; i++) {
      cache.put("image-" + i, thumb(30));
    }

    assertThat(cache.bytes()).isLessThanOrEqualTo(100);
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.tryGet("image-49")).isPresent();
    assertThat(cache.tryGet("image-0")).isEmpty();

    cache.put("image-49", thumb(20));
    assertThat(cache.bytes()).isEqualTo(80);
    cache.put("huge", thumb(101));
    assertThat(cache.tryGet("huge")).isEmpty();
    assertThat(cache.bytes()).isEqualTo(80);
  }

  private static Thumbnailer.Thumbnail thumb(int bytes) {
    return new Thumbnailer.Thumbnail(new byte[bytes], "image/jpeg");
  }
}
