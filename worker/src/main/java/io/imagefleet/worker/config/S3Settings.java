package io.imagefleet.worker.config;

import java.net.URI;
import java.util.Optional;

/**
 * Where images go in an S3-compatible object store ({@code storage.type=s3}).
 *
 * @param endpoint        the store's URL; empty means AWS S3 itself for {@code region}
 * @param bucket          bucket name (must exist)
 * @param prefix          key prefix, e.g. {@code images/}; may be empty
 * @param region          signing region ({@code us-east-1} suits most S3-compatible stores)
 * @param accessKeyId     static credentials; empty means the AWS default chain (env, profile, instance role)
 * @param secretAccessKey its secret, set exactly when {@code accessKeyId} is
 * @param pathStyle       {@code https://endpoint/bucket/key} instead of {@code https://bucket.endpoint/key};
 *                        most S3-compatible servers (MinIO, Ceph, S3Proxy) need it
 */
public record S3Settings(
    Optional<URI> endpoint,
    String bucket,
    String prefix,
    String region,
    Optional<String> accessKeyId,
    Optional<Secret> secretAccessKey,
    boolean pathStyle) {

  public S3Settings {
    Checks.notBlank("storage.s3.bucket", bucket);
    Checks.notBlank("storage.s3.region", region);
    prefix = prefix == null ? "" : prefix;
    if (prefix.startsWith("/")) {
      throw new ConfigException("storage.s3.prefix must not start with '/', but was '" + prefix + "'");
    }
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new ConfigException("storage.s3.access-key-id and storage.s3.secret-access-key must be set together,"
          + " but only " + (accessKeyId.isPresent() ? "the access key id" : "the secret access key") + " was");
    }
  }

  static S3Settings load(KeyReader r) {
    return new S3Settings(
        r.uri("storage.s3.endpoint"),
        r.string("storage.s3.bucket"),
        r.optional("storage.s3.prefix").orElse(""),
        r.string("storage.s3.region"),
        r.optional("storage.s3.access-key-id"),
        r.secret("storage.s3.secret-access-key", "storage.s3.secret-access-key-file"),
        r.bool("storage.s3.path-style"));
  }
}
