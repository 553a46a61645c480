package io.imagefleet.worker.storage;

import io.imagefleet.worker.config.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads stored images back from the bucket an {@link S3ImageStore} writes to, for those who show
 * them (the console). Reads whole objects up to a size limit, since a caller holds them in memory;
 * what the store says goes back as a {@link Read}, never as the SDK's exceptions, whose messages
 * may name the endpoint.
 *
 * <p>The SDK's client is thread safe; so is this reader.
 */
public final class S3ImageReader implements AutoCloseable {
  private final S3Client s3;
  private final String bucket;

  public S3ImageReader(S3Settings settings) {
    this.bucket = settings.bucket();
    this.s3 = S3Clients.open(settings);
  }

  /** What reading one object came to. */
  public sealed interface Read {
    /** The object's bytes. */
    record Found(byte[] bytes) implements Read {}

    /** No such object. */
    record Missing() implements Read {}

    /** The object is larger than the caller's limit; it was not read. */
    record TooLarge() implements Read {}

    /**
     * The store did not answer or refused; {@code reason} names the S3 error code or the failing
     * exception's class, never the endpoint or the credentials, so it may be logged.
     */
    record Failed(String reason) implements Read {}
  }

  /** The object at {@code key} in the configured bucket, if it holds at most {@code maxBytes}. */
  public Read read(String key, long maxBytes) {
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toInputStream())) {
      Long length = in.response().contentLength();
      if (length != null && length > maxBytes) {
        // Closing would read the rest of the body to reuse the connection; abort drops it.
        in.abort();
        return new Read.TooLarge();
      }
      byte[] bytes = readAtMost(in, maxBytes);
      if (bytes == null) {
        in.abort();
        return new Read.TooLarge();
      }
      return new Read.Found(bytes);
    } catch (NoSuchKeyException e) {
      return new Read.Missing();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return new Read.Missing();
      }
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      return new Read.Failed("S3 answered " + e.statusCode() + (code == null ? "" : " " + code));
    } catch (SdkException | IOException e) {
      // Client-side messages carry the endpoint's address; the classes along the cause say enough.
      return new Read.Failed("reading from S3 failed: " + causes(e));
    }
  }

  /** At most {@code max} bytes of {@code in}, or null when it holds more (its length lied). */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    return bytes.length > max ? null : bytes;
  }

  private static String causes(Throwable e) {
    StringBuilder names = new StringBuilder(e.getClass().getSimpleName());
    int depth = 0;
    for (Throwable c = e.getCause(); c != null && c != e && depth < 4; c = c.getCause(), depth++) {
      names.append(" <- ").append(c.getClass().getSimpleName());
    }
    return names.toString();
  }

  @Override
  public void close() {
    s3.close();
  }
}
