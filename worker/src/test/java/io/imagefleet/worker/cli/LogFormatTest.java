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
import org.junit.jupiter.api.Test;

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
    assertThat(line.path("formattedMessage").asText()).isEqualTo("job submitted: route=gpt-image-1.5");
    assertThat(line.path("message").asText()).as("the template, for grouping").isEqualTo("job submitted: route={}");
    assertThat(line.path("mdc").path("job_id").asText()).isEqualTo("catalog-000123");
    assertThat(line.path("mdc").path("tenant").asText()).isEqualTo("catalog");
  }

  @Test
  void textFormatPutsTheJobIdOnTheLine() throws Exception {
    assertThat(logWith("logback.xml")).contains("INFO", "JobRun [catalog-000123] - job submitted: route=gpt-image-1.5");
  }

  private static String logWith(String resource) throws Exception {
    LoggerContext context = new LoggerContext(); // a fresh one: the test JVM's own stays as it is
    LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    context.setMDCAdapter(mdc);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      mdc.put("job_id", "catalog-000123");
      mdc.put("tenant", "catalog");
      configurator.doConfigure(LogFormatTest.class.getClassLoader().getResource(resource));
      context.getLogger("io.imagefleet.worker.job.JobRun").info("job submitted: route={}", "gpt-image-1.5");
      context.getLogger("org.apache.kafka.clients.NetworkClient").info("below WARN: not logged");
    } finally {
      mdc.clear();
      context.stop();
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
