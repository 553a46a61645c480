package io.imagefleet.worker.fleet;

import io.imagefleet.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a worker's ops endpoint as Prometheus and an orchestrator would: plain HTTP on its port.
 */
final class OpsEndpoint {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final URI base;

  OpsEndpoint(Worker worker) {
    this.base = URI.create("http://127.0.0.1:" + worker.operations().port());
  }

  HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    }
  }

  String metrics() {
    return get("/metrics").body();
  }

  /**
   * The sum of every sample of {@code name} whose labels include {@code labels} (key, value, ...);
   * 0 if none.
   */
  double value(String name, String... labels) {
    return sum(metrics(), name, labels);
  }

  static double sum(String exposition, String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return Arrays.stream(exposition.split("\n"))
        .map(SAMPLE::matcher)
        .filter(Matcher::matches)
        .filter(m -> m.group(1).equals(name))
        .filter(m -> labelsOf(m.group(2)).entrySet().containsAll(wanted.entrySet()))
        .mapToDouble(m -> Double.parseDouble(m.group(3)))
        .sum();
  }

  private static Map<String, String> labelsOf(String text) {
    Map<String, String> labels = new HashMap<>();
    if (text != null) {
      Matcher m = LABEL.matcher(text);
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
    }
    return labels;
  }
}
