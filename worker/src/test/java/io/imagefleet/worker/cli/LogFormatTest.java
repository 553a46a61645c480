package io.imagefleet.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import io.imagefleet.contracts.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;

/** The two log formats the worker ships, each loaded the way Logback loads it at start. */
class LogFormatTest {

  @Test
  void jsonFormatWritesOneObjectPerLineWithTheJobIdFromTheMdc() throws Exception {
    String out = logWith("logback-json.xml");
    String[] lines = out.strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode line = Json.mapper().readTree(lines[0]);
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("loggerName").asText()).isEqualTo("io.imagefleet.worker.job.JobRun");
    assertThat(line.path("formattedMessage").asText())
        .isEqualTo("job submitted: route=gpt-image-1.5");
    assertThat(line.path("message").asText())
        .as("the template, for grouping")
        .isEqualTo("job submitted: route={}");
    assertThat(line.path("mdc").path("job_id").asText()).isEqualTo("catalog-000123");
    assertThat(line.path("mdc").path("tenant").asText()).isEqualTo("catalog");
  }

  @Test
  void textFormatPutsTheJobIdOnTheLine() throws Exception {
    assertThat(logWith("logback.xml"))
        .contains("INFO", "JobRun [catalog-000123] - job submitted: route=gpt-image-1.5");
  }

  // ---- values from records cannot forge lines
  // ---------------------------------------------------------

  private static final String FORGED =
      "\n12:00:00.000 INFO  [main] JobRun [other-job] - job succeeded";

  @Test
  void textFormatWritesLineBreaksInMessagesAndTheMdcAsEscapes() throws Exception {
    String out =
        logWith(
            "logback.xml",
            "job-1" + FORGED,
            (context, log) -> log.warn("metadata key {} refused", "k\r" + FORGED));
    assertThat(entryLines(out)).hasSize(1);
    assertThat(out).contains("[job-1\\n12:00:00.000 INFO", "metadata key k\\n12:00:00.000 INFO");
  }

  @Test
  void textFormatIndentsEveryLineOfAStackTraceWhateverItsMessage() throws Exception {
    String out =
        logWith(
            "logback.xml",
            "job-1",
            (context, log) ->
                log.warn(
                    "callback attempt failed",
                    new IllegalArgumentException(
                        "bad host" + FORGED, new IllegalStateException("cause" + FORGED))));
    assertThat(entryLines(out))
        .hasSize(2); // the entry, and the trace's first line (the exception's class)
    assertThat(entryLines(out).get(1)).startsWith("java.lang.IllegalArgumentException: bad host");
    assertThat(out)
        .contains(
            "\tat io.imagefleet.worker.cli.LogFormatTest",
            "\tCaused by: java.lang.IllegalStateException")
        .containsOnlyOnce("bad host");
  }

  @Test
  void jsonFormatKeepsLineBreaksInsideItsOneLine() throws Exception {
    String out =
        logWith(
            "logback-json.xml",
            "job-1" + FORGED,
            (context, log) ->
                log.warn(
                    "metadata key {} refused",
                    "k" + FORGED,
                    new IllegalStateException("boom" + FORGED)));
    String[] lines = out.strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode line = Json.mapper().readTree(lines[0]);
    assertThat(line.path("mdc").path("job_id").asText()).isEqualTo("job-1" + FORGED);
    assertThat(line.path("formattedMessage").asText())
        .isEqualTo("metadata key k" + FORGED + " refused");
  }

  /**
   * Lines that start as an entry does (with a time); every other line belongs to the entry above
   * it.
   */
  private static List<String> entryLines(String out) {
    return out.lines().filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0))).toList();
  }

  // ---- HTTP client DEBUG output stays out
  // ---------------------------------------------------------------

  /**
   * At DEBUG, Jetty's client writes every request header, the upstream's {@code Authorization:
   * Bearer} included, and the AWS SDK its signing input; neither logs at DEBUG whatever level the
   * root has.
   */
  @ParameterizedTest
  @ValueSource(strings = {"logback.xml", "logback-json.xml"})
  void httpClientsNeverLogAtDebugWhenTheWorkerDoes(String resource) throws Exception {
    logWith(
        resource,
        "job-1",
        (context, log) -> {
          assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).isDebugEnabled()).isTrue();
          assertThat(
                  context
                      .getLogger("io.imagefleet.worker.upstream.HttpUpstreamClient")
                      .isDebugEnabled())
              .isTrue();
          for (String name :
              List.of(
                  HttpClient.class.getName(),
                  HttpGenerator.class.getName(),
                  "org.eclipse.jetty.client.transport.internal.HttpSenderOverHTTP",
                  "org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP",
                  "software.amazon.awssdk.request",
                  "software.amazon.awssdk.auth.signer.internal.AbstractAws4Signer")) {
            assertThat(context.getLogger(name).isDebugEnabled()).as(name).isFalse();
            assertThat(context.getLogger(name).isWarnEnabled()).as(name).isTrue();
          }
        });
  }

  private static String logWith(String resource) throws Exception {
    return logWith(
        resource,
        "catalog-000123",
        (context, log) -> {
          log.info("job submitted: route={}", "gpt-image-1.5");
          context
              .getLogger("org.apache.kafka.clients.NetworkClient")
              .info("below WARN: not logged");
        });
  }

  /**
   * Logs with a fresh context configured from {@code resource} at DEBUG, the MDC's job id set;
   * returns stdout.
   */
  private static String logWith(
      String resource, String jobId, BiConsumer<LoggerContext, Logger> logging) throws Exception {
    LoggerContext context = new LoggerContext(); // a fresh one: the test JVM's own stays as it is
    LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    context.setMDCAdapter(mdc);
    context.putProperty("IMAGEFLEET_LOG_LEVEL", "DEBUG");
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      mdc.put("job_id", jobId);
      mdc.put("tenant", "catalog");
      configurator.doConfigure(LogFormatTest.class.getClassLoader().getResource(resource));
      logging.accept(context, context.getLogger("io.imagefleet.worker.job.JobRun"));
    } finally {
      mdc.clear();
      context.stop();
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
