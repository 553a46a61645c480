package io.imagefleet.worker.callback;

import io.imagefleet.sandbox.testing.Keytool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for a test receiver, made with the JDK's own keytool: a PKCS12 key
 * store for the receiver and a trust store (certificate only) for the worker. The certificate names
 * {@value #HOST} and 127.0.0.1, so host name verification is real.
 */
public final class TestCertificates {
  public static final String HOST = "hooks.imagefleet.test";
  public static final String PASSWORD = "changeit-imagefleet";

  private final Path keyStore;
  private final Path trustStore;

  private TestCertificates(Path keyStore, Path trustStore) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
  }

  public static TestCertificates create() throws IOException {
    Path dir = Files.createTempDirectory("imagefleet-tls-");
    Path keys = dir.resolve("receiver.p12");
    Path trust = dir.resolve("trust.p12");
    Path cert = dir.resolve("receiver.crt");
    Keytool.run(
        PASSWORD,
        "-genkeypair",
        "-alias",
        "receiver",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-dname",
        "CN=" + HOST,
        "-ext",
        "SAN=dns:" + HOST + ",ip:127.0.0.1,ip:127.0.0.2",
        "-keystore",
        keys.toString());
    Keytool.run(
        PASSWORD,
        "-exportcert",
        "-alias",
        "receiver",
        "-keystore",
        keys.toString(),
        "-file",
        cert.toString());
    Keytool.run(
        PASSWORD,
        "-importcert",
        "-noprompt",
        "-alias",
        "receiver",
        "-file",
        cert.toString(),
        "-keystore",
        trust.toString());
    return new TestCertificates(keys, trust);
  }

  /** The worker's {@code callbacks.trust-store}. */
  public Path trustStore() {
    return trustStore;
  }

  /** TLS for the receiver. */
  public SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
