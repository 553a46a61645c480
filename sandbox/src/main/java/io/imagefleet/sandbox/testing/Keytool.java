package io.imagefleet.sandbox.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own keytool, for tests that need certificates: nothing is downloaded and no test
 * dependency is needed. Every store is PKCS12 under one password.
 */
public final class Keytool {

  private static final String KEYTOOL =
      Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

  private Keytool() {}

  /**
   * Runs {@code keytool args...} on PKCS12 stores protected by {@code password}; throws when it
   * fails.
   */
  public static void run(String password, String... args) {
    List<String> command = new ArrayList<>(List.of(KEYTOOL));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keypass", password));
    }
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + KEYTOOL, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
