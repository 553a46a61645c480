package io.imagefleet.worker.fleet;

import io.imagefleet.sandbox.testing.Keytool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away PKI for TLS tests, made with the JDK's own keytool: a CA, a broker certificate for
 * 127.0.0.1/localhost and a client certificate (for mutual TLS), each in a PKCS12 keystore, plus a
 * truststore holding the CA. Nothing is downloaded and no test dependency is needed.
 */
record TestCertificates(Path dir, String password) {
  static TestCertificates create(Path dir, String password) {
    TestCertificates c = new TestCertificates(dir, password);
    c.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=imagefleet test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        c.path("ca.p12"));
    c.keytool(
        "-exportcert",
        "-alias",
        "ca",
        "-rfc",
        "-file",
        dir.resolve("ca.crt").toString(),
        "-keystore",
        c.path("ca.p12"));
    c.keytool(
        "-importcert",
        "-alias",
        "ca",
        "-noprompt",
        "-file",
        dir.resolve("ca.crt").toString(),
        "-keystore",
        c.truststore().toString());
    c.signed("broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
    c.signed("client", "CN=imagefleet-worker", null);
    return c;
  }

  Path truststore() {
    return dir.resolve("truststore.p12");
  }

  Path brokerKeystore() {
    return dir.resolve("broker.p12");
  }

  Path clientKeystore() {
    return dir.resolve("client.p12");
  }

  /** A key pair in {@code name}.p12 whose certificate the CA signed, with the CA in its chain. */
  private void signed(String name, String dname, String san) {
    String store = path(name + ".p12");
    String csr = dir.resolve(name + ".csr").toString();
    String crt = dir.resolve(name + ".crt").toString();
    List<String> gen =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                dname,
                "-validity",
                "2",
                "-keystore",
                store));
    List<String> sign =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-alias",
                "ca",
                "-infile",
                csr,
                "-outfile",
                crt,
                "-rfc",
                "-validity",
                "2",
                "-keystore",
                path("ca.p12")));
    if (san != null) {
      gen.addAll(List.of("-ext", san));
      sign.addAll(List.of("-ext", san));
    }
    keytool(gen.toArray(String[]::new));
    keytool("-certreq", "-alias", name, "-file", csr, "-keystore", store);
    keytool(sign.toArray(String[]::new));
    keytool(
        "-importcert",
        "-alias",
        "ca",
        "-noprompt",
        "-file",
        dir.resolve("ca.crt").toString(),
        "-keystore",
        store);
    keytool("-importcert", "-alias", name, "-file", crt, "-keystore", store);
  }

  private String path(String file) {
    return dir.resolve(file).toString();
  }

  private void keytool(String... args) {
    Keytool.run(password, args);
  }
}
