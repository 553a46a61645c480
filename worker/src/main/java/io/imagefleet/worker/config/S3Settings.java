package io.imagefleet.worker.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where images go in an S3-compatible object store ({@code storage.type=s3}).
 *
 * @param endpoint the store's URL; empty means AWS S3 itself for {@code region}
 * @param bucket bucket name (must exist)
 * @param prefix key prefix, e.g. {@code images/}; may be empty
 * @param region signing region ({@code us-east-1} suits most S3-compatible stores)
 * @param accessKeyId static credentials; empty means the AWS default chain (env, profile, instance
 *     role)
 * @param secretAccessKey its secret, set exactly when {@code accessKeyId} is
 * @param pathStyle {@code https://endpoint/bucket/key} instead of {@code
 *     https://bucket.endpoint/key}; most S3-compatible servers (MinIO, Ceph, S3Proxy) need it
 */
public record S3Settings(
    Optional<URI> endpoint,
    String bucket,
    String prefix,
    String region,
    Optional<String> accessKeyId,
    Optional<Secret> secretAccessKey,
    boolean pathStyle) {

  static final Key ENDPOINT = Key.of("storage.s3.endpoint");
  static final Key BUCKET = Key.of("storage.s3.bucket");
  static final Key PREFIX = Key.of("storage.s3.prefix");
  static final Key REGION = Key.of("storage.s3.region", "us-east-1");
  static final Key ACCESS_KEY_ID = Key.of("storage.s3.access-key-id");
  static final Key SECRET_ACCESS_KEY = Key.of("storage.s3.secret-access-key");
  static final Key SECRET_ACCESS_KEY_FILE = Key.of("storage.s3.secret-access-key-file");
  static final Key PATH_STYLE = Key.of("storage.s3.path-style", "false");
  static final List<Key> KEYS =
      List.of(
          ENDPOINT,
          BUCKET,
          PREFIX,
          REGION,
          ACCESS_KEY_ID,
          SECRET_ACCESS_KEY,
          SECRET_ACCESS_KEY_FILE,
          PATH_STYLE);

  public S3Settings {
    Checks.notBlank(BUCKET, bucket);
    Checks.notBlank(REGION, region);
    prefix = prefix == null ? "" : prefix;
    if (prefix.startsWith("/")) {
      throw new ConfigException(
          PREFIX.name() + " must not start with '/', but was '" + prefix + "'");
    }
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new ConfigException(
          ACCESS_KEY_ID.name()
              + " and "
              + SECRET_ACCESS_KEY.name()
              + " must be set together,"
              + " but only "
              + (accessKeyId.isPresent() ? "the access key id" : "the secret access key")
              + " was");
    }
  }

  static S3Settings from(ConfigReader r) {
    return new S3Settings(
        r.optionalUri(ENDPOINT),
        r.string(BUCKET),
        r.optional(PREFIX).orElse(""),
        r.string(REGION),
        r.optional(ACCESS_KEY_ID),
        r.secret(SECRET_ACCESS_KEY, SECRET_ACCESS_KEY_FILE),
        r.bool(PATH_STYLE));
  }
}
