package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobCodecTest {
  private static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode tree(byte[] json) throws IOException {
    return (ObjectNode) Json.mapper().readTree(json);
  }

  @Test
  void roundTripsAFullJob() {
    JobRequest job = Samples.fullJob();
    assertThat(JobCodec.decode(JobCodec.encode(job))).isEqualTo(job);
  }

  @Test
  void encodesJobsWithSnakeCaseNamesAndIsoTimestamps() throws IOException {
    JsonNode json = tree(JobCodec.encode(Samples.fullJob()));
    assertThat(json.get("job_id").asText()).isEqualTo("catalog-0042");
    assertThat(json.get("reference_image_urls")).hasSize(2);
    assertThat(json.get("max_cost_usd").decimalValue()).isEqualByComparingTo("0.25");
    assertThat(json.get("created_at").asText()).isEqualTo("2025-06-01T09:30:00.123Z");
    assertThat(json.get("allow_fallback").asBoolean()).isFalse();
  }

  @Test
  void leavesAbsentOptionalFieldsOutWhenEncoding() throws IOException {
    JobRequest job =
        new JobRequest(
            1, "j", 1, "t", null, "p", null, null, null, null, null, null, null, null, null);
    JsonNode json = tree(JobCodec.encode(job));
    assertThat(json.has("callback_url")).isFalse();
    assertThat(json.has("max_cost_usd")).isFalse();
    assertThat(json.has("created_at")).isFalse();
  }

  @Test
  void fillsDefaultsForAbsentFields() {
    JobRequest job = JobCodec.decode(utf8("{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\"}"));
    assertThat(job.schemaVersion()).isEqualTo(1);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.route()).isEqualTo("gpt-image-1.5");
    assertThat(job.size()).isEqualTo("1:1");
    assertThat(job.quality()).isEqualTo("high");
    assertThat(job.n()).isEqualTo(1);
    assertThat(job.referenceImageUrls()).isEmpty();
    assertThat(job.allowFallback()).isTrue();
    assertThat(job.metadata()).isEmpty();
    assertThat(job.callbackUrl()).isNull();
    assertThat(job.createdAt()).isNull();
  }

  @Test
  void treatsExplicitNullsAsAbsent() {
    JobRequest job =
        JobCodec.decode(
            utf8(
                "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"n\":null,\"size\":null,\"metadata\":null}"));
    assertThat(job.n()).isEqualTo(1);
    assertThat(job.size()).isEqualTo("1:1");
    assertThat(job.metadata()).isEmpty();
  }

  @Test
  void ignoresUnknownFieldsInJobs() {
    JobRequest job =
        JobCodec.decode(
            utf8(
                "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"priority\":\"urgent\","
                    + "\"style\":{\"palette\":[1,2,3]},\"n\":2}"));
    assertThat(job.jobId()).isEqualTo("j");
    assertThat(job.n()).isEqualTo(2);
  }

  @Test
  void decodesOutOfRangeValuesSoThatValidationCanReportThem() {
    JobRequest job =
        JobCodec.decode(
            utf8(
                "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"n\":50,\"size\":\"5:4\",\"schema_version\":2}"));
    assertThat(job.n()).isEqualTo(50);
    assertThat(new JobValidator().validate(job))
        .extracting(FieldError::field)
        .containsExactly("schema_version", "size", "n");
  }

  @Test
  void decodesJobsWithMissingRequiredFieldsSoThatValidationCanReportThem() {
    JobRequest job = JobCodec.decode(utf8("{\"prompt\":\"p\"}"));
    assertThat(new JobValidator().validate(job))
        .extracting(FieldError::field)
        .containsExactly("job_id", "tenant");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"job_id\": \"x\", \"prompt\": ",
        "hello",
        "{job_id: 1}",
        "{\"a\":1,}",
        "\u0000",
        "{\"a\":1} {\"b\":2}",
        "{\"a\":1} trailing"
      })
  void rejectsTextThatIsNotJson(String text) {
    assertThatThrownBy(() -> JobCodec.decode(utf8(text)))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageStartingWith("job request is not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32"})
  void rejectsJobsInAnotherEncodingThanUtf8(String charset) {
    byte[] json =
        "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\"}".getBytes(Charset.forName(charset));
    assertThatThrownBy(() -> JobCodec.decode(json))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageStartingWith("job request is not");
  }

  @Test
  void rejectsMalformedUtf8SayingWhere() {
    byte[] overlongSlash = {'{', '"', 'p', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
    assertThatThrownBy(() -> JobCodec.decode(overlongSlash))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("job request is not UTF-8: malformed byte sequence at byte 6");
    byte[] encodedSurrogate = {
      '{', '"', 'p', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'
    };
    assertThatThrownBy(() -> JobCodec.decode(encodedSurrogate))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageStartingWith("job request is not UTF-8");
  }

  @Test
  void skipsAUtf8ByteOrderMark() {
    byte[] json = utf8("\uFEFF{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\"}");
    assertThat(JobCodec.decode(json).jobId()).isEqualTo("j");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"job_id\":\"a\",\"job_id\":\"b\",\"tenant\":\"t\",\"prompt\":\"p\"}",
        "{\"job_id\":\"a\",\"tenant\":\"t\",\"prompt\":\"p\",\"metadata\":{\"k\":\"1\",\"k\":\"2\"}}"
      })
  void rejectsAKeyThatAppearsTwiceInOneObject(String json) {
    assertThatThrownBy(() -> JobCodec.decode(utf8(json)))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageContaining("Duplicate field");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1,2] | an array",
        "\"job\" | a string",
        "42 | a number",
        "null | null",
        "true | a boolean"
      })
  void rejectsJsonThatIsNotAnObject(String json, String what) {
    assertThatThrownBy(() -> JobCodec.decode(utf8(json)))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("job request is not a JSON object but " + what);
  }

  @Test
  void rejectsEmptyRecords() {
    assertThatThrownBy(() -> JobCodec.decode(new byte[0]))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("job request is empty");
    assertThatThrownBy(() -> JobCodec.decode(utf8("  \n")))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("job request is empty");
    assertThatThrownBy(() -> JobCodec.decode(null)).isInstanceOf(UndecodableJobException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"n\": \"abc\"                       | n                       | an integer",
        "\"n\": \"3\"                         | n                       | an integer",
        "\"n\": 1.5                           | n                       | an integer",
        "\"n\": [1]                           | n                       | an integer",
        "\"attempt\": true                    | attempt                 | an integer",
        "\"prompt\": 5                        | prompt                  | a string",
        "\"prompt\": {\"text\": \"p\"}        | prompt                  | a string",
        "\"allow_fallback\": \"yes\"          | allow_fallback          | a boolean",
        "\"allow_fallback\": 1                | allow_fallback          | a boolean",
        "\"max_cost_usd\": \"0.5\"            | max_cost_usd            | a number",
        "\"reference_image_urls\": \"https://a.example/x.png\" | reference_image_urls | an array",
        "\"reference_image_urls\": [\"https://a.example/x.png\", 3] | reference_image_urls[1] | a string",
        "\"metadata\": {\"sku\": 42}          | metadata.sku            | a string",
        "\"metadata\": [\"sku\"]              | metadata                | an object"
      })
  void rejectsFieldsOfTheWrongTypeNamingTheField(String field, String path, String expected) {
    byte[] json =
        utf8(
            ("{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\"," + field + "}")
                .replace("\"prompt\":\"p\",\"prompt\"", "\"prompt\""));
    assertThatThrownBy(() -> JobCodec.decode(json))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("job request has a wrong type for field " + path + ": expected " + expected);
  }

  @Test
  void rejectsUnreadableTimestampNamingTheField() {
    assertThatThrownBy(
            () -> JobCodec.decode(utf8("{\"job_id\":\"j\",\"created_at\":\"yesterday\"}")))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageStartingWith(
            "job request has an invalid value for field created_at: expected an ISO-8601 date-time");
  }

  @Test
  void rejectsNumbersTooBigForTheirField() {
    assertThatThrownBy(() -> JobCodec.decode(utf8("{\"job_id\":\"j\",\"n\":99999999999}")))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageStartingWith("job request has an invalid value for field n");
  }

  @Test
  void rejectsNullInsideListsAndMaps() {
    assertThatThrownBy(
            () -> JobCodec.decode(utf8("{\"job_id\":\"j\",\"reference_image_urls\":[null]}")))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("job request is incomplete: a list or map contains null");
    assertThatThrownBy(() -> JobCodec.decode(utf8("{\"job_id\":\"j\",\"metadata\":{\"k\":null}}")))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageContaining("contains null");
  }

  @Test
  void keepsUndecodableMessagesShortWhateverTheInput() {
    String huge = "x".repeat(1_000_000);
    for (String json :
        List.of(
            "{\"n\":\"" + huge + "\"}",
            "{\"" + huge + "\":1, \"n\": \"a\"}",
            "{\"n\": " + huge + "}",
            "{\"created_at\":\"" + huge + "\"}",
            "[\"" + huge + "\"]",
            "{\"a\": \"" + huge)) {
      assertThatThrownBy(() -> JobCodec.decode(utf8(json)))
          .isInstanceOf(UndecodableJobException.class)
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }
  }

  @Test
  void roundTripsStatusEvents() {
    for (StatusEvent event :
        List.of(Samples.succeededEvent(), Samples.failedEvent(), Samples.minimalEvent())) {
      assertThat(JobCodec.decodeEvent(JobCodec.encodeEvent(event))).isEqualTo(event);
    }
  }

  @Test
  void encodesEventsWithSnakeCaseNamesAtEveryLevel() throws IOException {
    JsonNode succeeded = tree(JobCodec.encodeEvent(Samples.succeededEvent()));
    assertThat(succeeded.get("upstream_task_id").asText()).isEqualTo("task-unified-1-abc");
    assertThat(succeeded.get("images").get(0).get("content_type").asText()).isEqualTo("image/png");
    assertThat(succeeded.get("usage").get("output_image_tokens").asLong()).isEqualTo(3136);
    assertThat(succeeded.get("occurred_at").asText()).isEqualTo("2025-06-01T09:31:12.418Z");
    assertThat(succeeded.has("terminal")).isFalse();

    JsonNode failed = tree(JobCodec.encodeEvent(Samples.failedEvent()));
    assertThat(failed.get("error").get("field_errors").get(1).get("code").asText())
        .isEqualTo("unsupported_value");
    assertThat(failed.get("error").get("retryable").asBoolean(true)).isFalse();
  }

  @Test
  void ignoresUnknownFieldsInEventsAtEveryLevel() throws IOException {
    ObjectNode json = tree(JobCodec.encodeEvent(Samples.succeededEvent()));
    json.put("region", "eu-west-1");
    ((ObjectNode) json.get("usage")).put("reasoning_tokens", 12);
    ((ObjectNode) json.get("images").get(0)).putObject("exif").put("camera", "none");
    assertThat(JobCodec.decodeEvent(Json.mapper().writeValueAsBytes(json)))
        .isEqualTo(Samples.succeededEvent());

    ObjectNode failed = tree(JobCodec.encodeEvent(Samples.failedEvent()));
    ((ObjectNode) failed.get("error").get("field_errors").get(0)).put("limit", 10);
    ((ObjectNode) failed.get("error")).put("docs", "https://example.com/errors");
    assertThat(JobCodec.decodeEvent(Json.mapper().writeValueAsBytes(failed)))
        .isEqualTo(Samples.failedEvent());
  }

  @Test
  void rejectsEventsWithoutTheirRequiredFields() throws IOException {
    ObjectNode json = tree(JobCodec.encodeEvent(Samples.minimalEvent()));
    json.remove("event_id");
    assertThatThrownBy(() -> JobCodec.decodeEvent(Json.mapper().writeValueAsBytes(json)))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("status event is incomplete: required field event_id is missing");
  }

  @Test
  void rejectsEventsWithAnUnknownStatus() {
    assertThatThrownBy(
            () ->
                JobCodec.decodeEvent(
                    utf8("{\"event_id\":\"e\",\"job_id\":\"j\",\"status\":\"DONE\"}")))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessageStartingWith(
            "status event has an invalid value for field status: expected one of [");
  }

  @Test
  void rejectsEventsThatAreNotJsonObjects() {
    assertThatThrownBy(() -> JobCodec.decodeEvent(utf8("[]")))
        .isInstanceOf(UndecodableJobException.class)
        .hasMessage("status event is not a JSON object but an array");
  }

  /**
   * Numbers no formatting survives either decode (and then validation refuses them) or are
   * undecodable; nothing else escapes and nothing takes long.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "max_cost_usd | 1e-999999999   | true",
        "max_cost_usd | 1e999999999    | true",
        "max_cost_usd | 1e99999999999  | false",
        "max_cost_usd | -1e-99999999999 | false",
        "attempt      | 1e3            | false",
        "attempt      | 99999999999    | false",
        "n            | 1e999999999    | false"
      })
  void decodesOrRefusesNumbersWithExtremeExponentsQuickly(
      String field, String number, boolean decodes) {
    byte[] json =
        utf8(
            "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\""
                + field
                + "\":"
                + number
                + "}");
    Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          if (decodes) {
            assertThat(new JobValidator().validate(JobCodec.decode(json)))
                .extracting(FieldError::field)
                .containsExactly(field);
          } else {
            assertThatThrownBy(() -> JobCodec.decode(json))
                .isInstanceOf(UndecodableJobException.class)
                .hasMessageContaining(field);
          }
        });
  }
}
