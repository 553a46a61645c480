package io.imagefleet.worker.callback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A callback receiver on a loopback address (JDK HttpServer, HTTP or HTTPS), the way a team would
 * write one: it records each request and answers what the test's {@code answer} says. It verifies
 * signatures with its own HMAC code, not the worker's.
 */
public final class Receiver implements AutoCloseable {
  /** One request as received. */
  public record Request(String host, String path, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Recomputes {@code v1=hex(HMAC-SHA256(secret, timestamp + "." + body))} and compares. */
    public boolean signedWith(String secret) throws Exception {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] expected =
          mac.doFinal(
              (header("X-Imagefleet-Timestamp") + "." + bodyText())
                  .getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder("v1=");
      for (byte b : expected) {
        hex.append(String.format("%02x", b));
      }
      return MessageDigest.isEqual(
          hex.toString().getBytes(StandardCharsets.US_ASCII),
          String.valueOf(header("X-Imagefleet-Signature")).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** What to answer a request; {@code body} may be large (it is streamed). */
  public record Answer(int status, Map<String, String> headers, long bodyBytes) {
    public static Answer status(int status) {
      return new Answer(status, Map.of(), 0);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Throwable> writeErrors = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> answer = r -> Answer.status(204);

  private Receiver(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static Receiver http(String address, int port) throws IOException {
    return new Receiver(
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16));
  }

  public static Receiver https(String address, int port, TestCertificates certificates)
      throws Exception {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()));
    return new Receiver(server);
  }

  public Receiver answering(Function<Request, Answer> answer) {
    this.answer = answer;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Errors while writing answers, e.g. the client closing before a large body was read. */
  public List<Throwable> writeErrors() {
    return List.copyOf(writeErrors);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Request request =
        new Request(
            exchange.getRequestHeaders().getFirst("Host"),
            exchange.getRequestURI().toString(),
            Map.copyOf(exchange.getRequestHeaders()),
            exchange.getRequestBody().readAllBytes());
    requests.add(request);
    Answer a;
    try {
      a = answer.apply(request);
    } catch (RuntimeException e) {
      a = Answer.status(500);
    }
    a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    try {
      exchange.sendResponseHeaders(a.status(), a.bodyBytes() == 0 ? -1 : a.bodyBytes());
      if (a.bodyBytes() > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          byte[] chunk = new byte[64 * 1024];
          for (long sent = 0; sent < a.bodyBytes(); sent += chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, a.bodyBytes() - sent));
          }
        }
      }
    } catch (IOException e) {
      writeErrors.add(e);
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
