package io.imagefleet.worker.callback;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 POST to an address chosen in advance, nothing more.
 *
 * <p>Why not the JDK's {@code HttpClient}: it resolves the host itself (no way to pin the vetted
 * address, so DNS rebinding stays open), and its redirect and body handling are broader than a
 * callback needs. Here the TCP connection goes to the given address; TLS still sends the URL's host
 * as SNI and verifies the certificate against that host name; redirects are never followed (the
 * status is returned); at most {@code maxResponseBytes} of the answer are read; the whole exchange,
 * connect to last byte, ends at {@code timeout} (the socket is closed by a timer, so a receiver
 * that trickles bytes cannot hold the thread longer).
 */
final class PinnedHttpClient {
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /**
   * The receiver's answer: its status (a redirect is reported, never followed) and its {@code
   * Retry-After} header as written, if any.
   */
  record Response(int status, String retryAfter) {}

  private final SSLContext tls;
  private final ScheduledExecutorService timer;

  PinnedHttpClient(SSLContext tls, ScheduledExecutorService timer) {
    this.tls = tls;
    this.timer = timer;
  }

  Response post(
      URI url,
      InetAddress address,
      Map<String, String> headers,
      byte[] body,
      Duration timeout,
      int maxResponseBytes)
      throws IOException {
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    Socket socket = new Socket();
    ScheduledFuture<?> deadline =
        timer.schedule(() -> closeQuietly(socket), timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      Socket channel = https ? tls(socket, url.getHost(), port) : socket;
      OutputStream out = channel.getOutputStream();
      out.write(head(url, port, https, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      InputStream in = new BufferedInputStream(channel.getInputStream(), 4096);
      int status = readStatus(in);
      String[] retryAfter = new String[1];
      try {
        skipHeadersAndBody(in, maxResponseBytes, retryAfter);
      } catch (IOException e) {
        // The status is what counts; an answer cut short after it changes nothing.
      }
      return new Response(status, retryAfter[0]);
    } finally {
      deadline.cancel(false);
      closeQuietly(socket);
    }
  }

  private Socket tls(Socket socket, String host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm(
        "HTTPS"); // the certificate must name the URL's host
    if (!host.startsWith("[") && !host.matches("[0-9.]+")) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(parameters);
    ssl.startHandshake();
    return ssl;
  }

  private static String head(
      URI url, int port, boolean https, Map<String, String> headers, int length) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    boolean defaultPort = url.getPort() < 0 || port == (https ? 443 : 80);
    StringBuilder b = new StringBuilder();
    b.append("POST ").append(path).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(url.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n");
    headers.forEach((name, value) -> b.append(name).append(": ").append(value).append("\r\n"));
    b.append("Content-Length: ").append(length).append("\r\n");
    b.append("Connection: close\r\n\r\n");
    return b.toString();
  }

  private static int readStatus(InputStream in) throws IOException {
    String line = readLine(in, MAX_HEADER_BYTES);
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer");
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status");
    }
  }

  /**
   * Reads past the headers, keeping {@code Retry-After} in {@code retryAfter[0]}, and at most
   * {@code maxBody} bytes of the body; the rest is never read.
   */
  private static void skipHeadersAndBody(InputStream in, int maxBody, String[] retryAfter)
      throws IOException {
    int headerBytes = 0;
    String line;
    do {
      line = readLine(in, MAX_HEADER_BYTES - headerBytes);
      headerBytes += line.length() + 2;
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Retry-After")) {
        retryAfter[0] = line.substring(colon + 1).trim();
      }
    } while (!line.isEmpty());
    byte[] buffer = new byte[4096];
    int read = 0;
    while (read < maxBody) {
      int n = in.read(buffer, 0, Math.min(buffer.length, maxBody - read));
      if (n < 0) {
        return;
      }
      read += n;
    }
  }

  private static String readLine(InputStream in, int max) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.write(c);
      }
      if (line.size() > max) {
        throw new IOException("answer headers longer than " + MAX_HEADER_BYTES + " bytes");
      }
    }
    if (c < 0 && line.size() == 0) {
      throw new IOException("connection closed before an answer");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
