package io.imagefleet.worker.storage;

import io.imagefleet.worker.config.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
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
  /** One read's bound, the SDK's retries included: a page waits no longer for an image. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3ImageReader(S3Settings settings) {
    this.bucket = settings.bucket();
    this.prefix = settings.prefix();
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
        s3.getObject(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .overrideConfiguration(o -> o.apiCallTimeout(READ_TIMEOUT)),
            ResponseTransformer.toInputStream())) {
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
      return e.statusCode() == 404 ? new Read.Missing() : new Read.Failed(S3Failures.describe(e));
    } catch (SdkException | IOException e) {
      return new Read.Failed(S3Failures.describe(e));
    }
  }

  /**
   * Why this reader cannot read the bucket, if it cannot: it reads the object the workers' start-up
   * check writes there. Missing is no refusal (no worker has started yet); a bucket policy that
   * does not let the reader list answers 403 for a missing object, so that shows as one until a
   * worker has started.
   */
  public Optional<String> readRefusal() {
    Read read = read(prefix + S3ImageStore.WRITE_CHECK_KEY, 1024);
    return read instanceof Read.Failed failed
        ? Optional.of("bucket " + bucket + " cannot be read (" + failed.reason() + ")")
        : Optional.empty();
  }

  /** At most {@code max} bytes of {@code in}, or null when it holds more (its length lied). */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    return bytes.length > max ? null : bytes;
  }

  @Override
  public void close() {
    s3.close();
  }
}
