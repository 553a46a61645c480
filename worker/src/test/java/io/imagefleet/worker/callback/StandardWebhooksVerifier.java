package io.imagefleet.worker.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verifies received callbacks with the published Standard Webhooks library for Node ({@code
 * standardwebhooks}, pinned by {@code src/test/node/package-lock.json}), so that the proof does not
 * rest on the worker's own signing code. Node and the installed package are required: where either
 * is missing, the test fails and says how to install them; it never skips.
 */
final class StandardWebhooksVerifier {
  private static final Path DIRECTORY = Path.of("src", "test", "node");
  private static final String SETUP =
      "install Node.js 18+ with npm (Debian: apt-get install nodejs npm; .ci/run does)";

  /** The verdict on one request: accepted, or the library's reason for rejecting it. */
  record Verdict(boolean ok, String error) {}

  private StandardWebhooksVerifier() {}

  /**
   * Installs the verifier from the committed lock file the first time it is needed, so that {@code
   * mvn verify} alone works wherever Node.js is; a missing Node.js fails with how to install it.
   */
  private static synchronized void installOnce() throws Exception {
    if (Files.isDirectory(DIRECTORY.resolve("node_modules").resolve("standardwebhooks"))) {
      return;
    }
    Process npm;
    try {
      npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(DIRECTORY.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError("npm cannot be started (" + e.getMessage() + "): " + SETUP, e);
    }
    byte[] out = npm.getInputStream().readAllBytes();
    if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new AssertionError(
          "npm ci in " + DIRECTORY.toAbsolutePath() + " failed: " + new String(out) + "; " + SETUP);
    }
  }

  /** What a receiver holding only {@code secret} answers to each of {@code requests}, in order. */
  static List<Verdict> verify(String secret, List<Receiver.Request> requests) throws Exception {
    return run("secret", secret, requests);
  }

  /**
   * What a receiver holding only the Ed25519 {@code publicKey} ({@code whpk_...}) answers, checking
   * the {@code v1a} signatures with Node's own crypto.
   */
  static List<Verdict> verifyEd25519(String publicKey, List<Receiver.Request> requests)
      throws Exception {
    return run("publicKey", publicKey, requests);
  }

  private static List<Verdict> run(String field, String key, List<Receiver.Request> requests)
      throws Exception {
    installOnce();
    ObjectNode input = Json.mapper().createObjectNode();
    input.put(field, key);
    ArrayNode list = input.putArray("requests");
    for (Receiver.Request r : requests) {
      ObjectNode request = list.addObject();
      ObjectNode headers = request.putObject("headers");
      r.headers().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
      request.put("body", r.bodyText());
    }
    Process node;
    try {
      node =
          new ProcessBuilder("node", "verify.mjs")
              .directory(DIRECTORY.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new AssertionError("node cannot be started (" + e.getMessage() + "): " + SETUP, e);
    }
    try (OutputStream in = node.getOutputStream()) {
      in.write(Json.mapper().writeValueAsBytes(input));
    }
    byte[] out = node.getInputStream().readAllBytes();
    if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
      node.destroyForcibly();
      throw new AssertionError(
          "the Standard Webhooks verifier failed: " + new String(out, StandardCharsets.UTF_8));
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (JsonNode v : Json.mapper().readTree(out)) {
      verdicts.add(new Verdict(v.get("ok").asBoolean(), v.path("error").asText(null)));
    }
    return verdicts;
  }
}
