package io.imagefleet.sandbox.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes an 8-bit RGB PNG. Hand-written rather than ImageIO because it is several times faster for
 * large flat images (fast deflate, no filter search): the simulator must never be the bottleneck.
 */
final class PngEncoder {

  /** Paints one row: fills {@code rgb} (3 bytes per pixel) for row {@code y}. */
  interface RowPainter {
    void paint(int y, byte[] rgb);
  }

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PngEncoder() {}

  static byte[] encode(int width, int height, RowPainter painter) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      out.write(SIGNATURE);
      ByteBuffer header = ByteBuffer.allocate(13);
      header.putInt(width).putInt(height);
      header.put((byte) 8); // bit depth
      header.put((byte) 2); // colour type: truecolour RGB
      header.put((byte) 0); // deflate
      header.put((byte) 0); // adaptive filtering (we use filter 0 on every row)
      header.put((byte) 0); // no interlace
      chunk(out, "IHDR", header.array());
      chunk(out, "IDAT", imageData(width, height, painter));
      chunk(out, "IEND", new byte[0]);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] imageData(int width, int height, RowPainter painter) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(64 * 1024);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (OutputStream z = new DeflaterOutputStream(compressed, deflater, 64 * 1024)) {
      byte[] rgb = new byte[width * 3];
      for (int y = 0; y < height; y++) {
        painter.paint(y, rgb);
        z.write(0); // filter type None
        z.write(rgb);
      }
    } finally {
      deflater.end();
    }
    return compressed.toByteArray();
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(typeBytes);
    out.write(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
