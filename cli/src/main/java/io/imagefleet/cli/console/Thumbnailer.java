package io.imagefleet.cli.console;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Scales a stored image down to a thumbnail with the JDK's own decoders (PNG, JPEG, GIF; no WebP),
 * headless. The dimensions in the image's header are checked before anything is decoded: a small
 * file can claim a huge canvas (a decompression bomb), and decoding allocates what it claims. Large
 * images are subsampled while they are decoded, so memory follows the thumbnail, not the original.
 *
 * <p>Stateless; safe on any thread (callers bound how many scale at once).
 */
final class Thumbnailer {
  private final int longSide;
  private final long maxPixels;

  /**
   * @param longSide the thumbnail's longer side at most, in pixels
   * @param maxPixels images whose header claims more pixels are not decoded
   */
  Thumbnailer(int longSide, long maxPixels) {
    if (longSide <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("longSide and maxPixels must be > 0");
    }
    this.longSide = longSide;
    this.maxPixels = maxPixels;
    // A console on a desktop must not open a display (or a dock icon) to scale a picture.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // Decoding from memory needs no temporary files.
    ImageIO.setUseCache(false);
  }

  /** A scaled image, ready to send. */
  record Thumbnail(byte[] bytes, String contentType) {}

  /** What scaling one image came to. */
  sealed interface Outcome {}

  record Scaled(Thumbnail thumbnail) implements Outcome {}

  /** No decoder for the format (WebP), or the bytes are not the image they claim to be. */
  record NotDecodable() implements Outcome {}

  /** The header claims more pixels than allowed; nothing was decoded. */
  record TooManyPixels(int width, int height) implements Outcome {}

  Outcome scale(byte[] image) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return new NotDecodable();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
          return new TooManyPixels(width, height);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        // Every n-th pixel of every n-th row, keeping twice the thumbnail's size for a smooth
        // scale after.
        int step = Math.max(1, Math.max(width, height) / (2 * longSide));
        param.setSourceSubsampling(step, step, 0, 0);
        return new Scaled(encode(shrink(reader.read(0, param))));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // Damaged or truncated bytes: the decoders throw either.
      return new NotDecodable();
    }
  }

  private BufferedImage shrink(BufferedImage source) {
    int w = source.getWidth();
    int h = source.getHeight();
    double factor = Math.min(1.0, (double) longSide / Math.max(w, h));
    int tw = Math.max(1, (int) Math.round(w * factor));
    int th = Math.max(1, (int) Math.round(h * factor));
    boolean alpha = source.getColorModel().hasAlpha();
    BufferedImage out =
        new BufferedImage(tw, th, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, tw, th, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** PNG keeps transparency; an opaque picture is far smaller as JPEG. */
  private static Thumbnail encode(BufferedImage image) throws IOException {
    boolean alpha = image.getColorModel().hasAlpha();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, alpha ? "png" : "jpg", out)) {
      throw new IOException("no encoder");
    }
    return new Thumbnail(out.toByteArray(), alpha ? "image/png" : "image/jpeg");
  }
}
