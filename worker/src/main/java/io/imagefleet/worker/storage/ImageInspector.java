package io.imagefleet.worker.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads type, pixel size and SHA-256 from image bytes. Pixel size comes from the header without
 * decoding the pixels: a PNG's is read straight from its IHDR chunk (the format puts it first),
 * other formats go through ImageIO's reader on an in-memory stream, because ImageIO's default
 * stream writes a temporary file per image; the IHDR read costs next to nothing.
 */
public final class ImageInspector {
  private ImageInspector() {}

  public static ImageFacts inspect(byte[] bytes) throws UnusableImageException {
    String[] type = sniff(bytes);
    int[] size = pixelSize(bytes);
    return new ImageFacts(type[0], type[1], size[0], size[1], sha256(bytes), bytes.length);
  }

  /** Checks the facts against the pixel size the job asked for. */
  public static void verify(ImageFacts facts, int expectedWidth, int expectedHeight)
      throws UnusableImageException {
    if (facts.width() != expectedWidth || facts.height() != expectedHeight) {
      throw new UnusableImageException(
          "image is "
              + facts.width()
              + "x"
              + facts.height()
              + " but the job asked for "
              + expectedWidth
              + "x"
              + expectedHeight);
    }
  }

  private static String[] sniff(byte[] b) throws UnusableImageException {
    if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return new String[] {"image/png", "png"};
    }
    if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
      return new String[] {"image/jpeg", "jpg"};
    }
    if (b.length > 12
        && b[0] == 'R'
        && b[1] == 'I'
        && b[2] == 'F'
        && b[3] == 'F'
        && b[8] == 'W'
        && b[9] == 'E'
        && b[10] == 'B'
        && b[11] == 'P') {
      return new String[] {"image/webp", "webp"};
    }
    throw new UnusableImageException(
        "downloaded " + b.length + " bytes that are not a PNG, JPEG or WebP image");
  }

  private static int[] pixelSize(byte[] bytes) throws UnusableImageException {
    if (bytes[0] == (byte) 0x89 && bytes[1] == 'P') {
      return pngSize(bytes);
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new UnusableImageException("no reader for the downloaded image format");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new UnusableImageException("cannot read the image header: " + e.getMessage());
    }
  }

  /** Width and height from the IHDR chunk, which the PNG format requires to come first. */
  private static int[] pngSize(byte[] b) throws UnusableImageException {
    if (b.length < 33 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw new UnusableImageException("cannot read the image header: the PNG has no IHDR chunk");
    }
    int width = ByteBuffer.wrap(b, 16, 4).getInt();
    int height = ByteBuffer.wrap(b, 20, 4).getInt();
    if (width <= 0 || height <= 0) {
      throw new UnusableImageException(
          "cannot read the image header: the PNG says " + width + "x" + height);
    }
    return new int[] {width, height};
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
