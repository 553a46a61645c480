package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves that the Java records and the JSON Schemas describe the same messages, so that changing
 * one without the other fails the build: same field names at every level, same JSON types, enums,
 * defaults and limits; samples and examples valid; known-bad documents rejected by both.
 */
class SchemaAgreementTest {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
  private static final JsonNode JOB_SCHEMA = tree(Schemas.JOB_REQUEST_V1);
  private static final JsonNode EVENT_SCHEMA = tree(Schemas.STATUS_EVENT_V1);
  private static final JsonSchema JOB_VALIDATOR = FACTORY.getSchema(JOB_SCHEMA, CONFIG);
  private static final JsonSchema EVENT_VALIDATOR = FACTORY.getSchema(EVENT_SCHEMA, CONFIG);

  // ---- (a) same fields, names and types -------------------------------------------------------

  @Test
  void jobRequestSchemaHasExactlyTheFieldsTheRecordWrites() {
    assertSameFields(JOB_SCHEMA, JOB_SCHEMA, JobRequest.class, "job_request");
  }

  @Test
  void statusEventSchemaHasExactlyTheFieldsTheRecordAndItsNestedRecordsWrite() {
    List<Class<?>> walked =
        assertSameFields(EVENT_SCHEMA, EVENT_SCHEMA, StatusEvent.class, "status_event");
    assertThat(walked)
        .containsExactlyInAnyOrder(
            StatusEvent.class,
            StoredImage.class,
            TokenUsage.class,
            JobError.class,
            FieldError.class,
            Cancellation.class);
  }

  @Test
  void everyMessageRecordWritesSnakeCaseNames() {
    for (Class<?> record :
        List.of(
            JobRequest.class,
            StatusEvent.class,
            StoredImage.class,
            TokenUsage.class,
            JobError.class,
            FieldError.class,
            Cancellation.class,
            CancelRequest.class)) {
      JsonNaming naming = record.getAnnotation(JsonNaming.class);
      assertThat(naming).as(record.getSimpleName() + " has @JsonNaming").isNotNull();
      assertThat(naming.value())
          .as(record.getSimpleName())
          .isEqualTo(PropertyNamingStrategies.SnakeCaseStrategy.class);
      assertThat(serialisedNames(record).values())
          .as(record.getSimpleName())
          .allMatch(name -> name.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"));
    }
  }

  /**
   * Walks the record's components and the schema node side by side, recursing into nested records
   * and lists of records; returns the records it walked.
   */
  private static List<Class<?>> assertSameFields(
      JsonNode root, JsonNode node, Class<?> record, String where) {
    List<Class<?>> walked = new ArrayList<>(List.of(record));
    JsonNode schema = resolve(root, node);
    assertThat(schema.path("type").asText()).as(where + " type").isEqualTo("object");
    assertThat(schema.path("additionalProperties").asBoolean(false))
        .as(where + " tolerates unknown fields")
        .isTrue();
    Map<String, String> names = serialisedNames(record);
    assertThat(names.keySet())
        .as(where + ": every record component is written, nothing else")
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList());
    assertThat(fieldNames(schema.get("properties")))
        .as(where + ": schema properties vs record")
        .containsExactlyInAnyOrderElementsOf(names.values());
    assertThat(fieldNames(schema.get("required")))
        .as(where + ": required fields exist")
        .isSubsetOf(names.values());

    for (RecordComponent component : record.getRecordComponents()) {
      String name = names.get(component.getName());
      String at = where + "." + name;
      JsonNode property = resolve(root, schema.get("properties").get(name));
      assertThat(property.path("description").asText()).as(at + " description").isNotBlank();
      Class<?> type = component.getType();
      assertThat(property.path("type").asText()).as(at + " type").isEqualTo(jsonType(type));
      if (type == Instant.class) {
        assertThat(property.path("format").asText()).as(at + " format").isEqualTo("date-time");
      }
      if (type.isRecord()) {
        walked.addAll(assertSameFields(root, property, type, at));
      }
      if (List.class.isAssignableFrom(type)) {
        Class<?> element = typeArgument(component.getGenericType(), 0);
        JsonNode items = resolve(root, property.get("items"));
        if (element.isRecord()) {
          walked.addAll(assertSameFields(root, items, element, at + "[]"));
        } else {
          assertThat(items.path("type").asText()).as(at + " items").isEqualTo(jsonType(element));
        }
      }
      if (Map.class.isAssignableFrom(type)) {
        assertThat(property.path("additionalProperties").path("type").asText())
            .as(at + " values")
            .isEqualTo(jsonType(typeArgument(component.getGenericType(), 1)));
      }
    }
    return walked;
  }

  /** Record component name to JSON name, as Jackson serialises the record. */
  private static Map<String, String> serialisedNames(Class<?> record) {
    BeanDescription description =
        Json.mapper().getSerializationConfig().introspect(Json.mapper().constructType(record));
    return description.findProperties().stream()
        .filter(BeanPropertyDefinition::couldSerialize)
        .collect(
            Collectors.toMap(
                BeanPropertyDefinition::getInternalName,
                BeanPropertyDefinition::getName,
                (a, b) -> a,
                TreeMap::new));
  }

  private static String jsonType(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "integer";
    }
    if (type == BigDecimal.class) {
      return "number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "boolean";
    }
    if (type == String.class || type.isEnum() || type == Instant.class) {
      return "string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "object";
    }
    throw new AssertionError("no JSON type known for " + type + "; extend this test");
  }

  private static Class<?> typeArgument(Type generic, int index) {
    return (Class<?>) ((ParameterizedType) generic).getActualTypeArguments()[index];
  }

  // ---- enums, defaults and limits -------------------------------------------------------------

  @Test
  void enumsInTheSchemasMatchTheJavaEnums() throws IOException {
    JsonNode job = JOB_SCHEMA.get("properties");
    assertThat(texts(job.get("size").get("enum")))
        .containsExactlyElementsOf(Arrays.stream(ImageSize.values()).map(ImageSize::wire).toList());
    assertThat(texts(job.get("quality").get("enum")))
        .containsExactlyElementsOf(
            Arrays.stream(ImageQuality.values()).map(ImageQuality::wire).toList());

    List<String> statuses = new ArrayList<>();
    for (JobStatus status : JobStatus.values()) {
      statuses.add(Json.mapper().readTree(Json.mapper().writeValueAsString(status)).asText());
    }
    assertThat(texts(EVENT_SCHEMA.get("properties").get("status").get("enum")))
        .containsExactlyElementsOf(statuses);

    JsonNode fieldErrorCode = EVENT_SCHEMA.at("/$defs/field_error/properties/code");
    assertThat(texts(fieldErrorCode.get("examples")))
        .containsExactlyElementsOf(
            Arrays.stream(ValidationCode.values()).map(ValidationCode::wire).toList());
  }

  @Test
  void errorCodeDescriptionNamesEveryFleetErrorCode() throws IllegalAccessException {
    String description = EVENT_SCHEMA.at("/$defs/job_error/properties/code/description").asText();
    for (Field field : ErrorCodes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        assertThat(description).contains((String) field.get(null));
      }
    }
  }

  @Test
  void schemaDefaultsAreWhatTheRecordFillsIn() throws IOException {
    JsonNode decoded =
        Json.mapper()
            .readTree(
                JobCodec.encode(
                    JobCodec.decode(
                        "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\"}"
                            .getBytes(StandardCharsets.UTF_8))));
    Set<String> withDefault = new TreeSet<>();
    JOB_SCHEMA
        .get("properties")
        .properties()
        .forEach(
            entry -> {
              if (entry.getValue().has("default")) {
                withDefault.add(entry.getKey());
                assertThat(decoded.get(entry.getKey()))
                    .as("default of " + entry.getKey())
                    .isEqualTo(entry.getValue().get("default"));
              }
            });
    Set<String> filledIn = new TreeSet<>(fieldNames(decoded));
    filledIn.removeAll(Set.of("job_id", "tenant", "prompt"));
    assertThat(withDefault)
        .as("every field the record fills in has a documented default")
        .isEqualTo(filledIn);
    assertThat(texts(JOB_SCHEMA.get("required")))
        .containsExactlyInAnyOrder("job_id", "tenant", "prompt");
  }

  @Test
  void schemaLimitsAreTheValidatorsLimits() {
    JsonNode p = JOB_SCHEMA.get("properties");
    assertThat(p.at("/job_id/maxLength").asInt()).isEqualTo(JobValidator.MAX_JOB_ID_CHARS);
    assertThat(p.at("/route/maxLength").asInt()).isEqualTo(JobValidator.MAX_ROUTE_CHARS);
    assertThat(p.at("/n/minimum").asInt()).isEqualTo(1);
    assertThat(p.at("/n/maximum").asInt()).isEqualTo(JobValidator.MAX_IMAGES);
    assertThat(p.at("/attempt/minimum").asInt()).isEqualTo(1);
    assertThat(p.at("/attempt/maximum").asInt()).isEqualTo(JobValidator.MAX_ATTEMPT);
    assertThat(p.at("/schema_version/const").asInt()).isEqualTo(JobRequest.SCHEMA_VERSION);
    assertThat(p.at("/reference_image_urls/maxItems").asInt())
        .isEqualTo(JobValidator.MAX_REFERENCE_IMAGES);
    assertThat(p.at("/callback_url/maxLength").asInt())
        .isEqualTo(JobValidator.MAX_CALLBACK_URL_CHARS);
    assertThat(p.at("/max_cost_usd/exclusiveMinimum").asInt()).isZero();
    assertThat(p.at("/max_cost_usd/maximum").decimalValue())
        .isEqualByComparingTo(JobValidator.MAX_COST_USD);
    assertThat(p.at("/max_cost_usd/if"))
        .isEqualTo(
            Json.mapper()
                .createObjectNode()
                .put("exclusiveMinimum", 0)
                .put("maximum", JobValidator.MAX_COST_USD.intValueExact()));
    assertThat(p.at("/max_cost_usd/then/multipleOf").decimalValue())
        .isEqualByComparingTo(BigDecimal.ONE.movePointLeft(Money.SCALE));
    assertThat(p.at("/prompt/maxLength").asInt()).isEqualTo(JobValidator.MAX_PROMPT_CHARS);
    assertThat(p.at("/prompt/description").asText())
        .contains(JobValidator.MAX_PROMPT_CHARS + " characters");
    assertThat(p.at("/reference_image_urls/items/maxLength").asInt())
        .isEqualTo(JobValidator.MAX_REFERENCE_IMAGE_URL_CHARS);
    assertThat(p.at("/metadata/maxProperties").asInt())
        .isEqualTo(JobValidator.MAX_METADATA_ENTRIES);
    assertThat(p.at("/metadata/propertyNames/maxLength").asInt())
        .isEqualTo(JobValidator.MAX_METADATA_KEY_CHARS);
    assertThat(p.at("/metadata/additionalProperties/maxLength").asInt())
        .isEqualTo(JobValidator.MAX_METADATA_VALUE_CHARS);
    assertThat(p.at("/prompt/description").asText())
        .contains("2000 tokens", "o200k_base", ValidationCode.UNSUPPORTED_BY_ROUTE.wire());
    assertThat(p.at("/reference_image_urls/description").asText()).contains("image_urls");
    assertThat(p.at("/route/default").asText()).isEqualTo(JobRequest.DEFAULT_ROUTE);
  }

  @Test
  void schemasDeclareDraft202012AndAnId() {
    for (JsonNode schema : List.of(JOB_SCHEMA, EVENT_SCHEMA)) {
      assertThat(schema.path("$schema").asText())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("$id").asText()).startsWith("https://").endsWith(".v1.schema.json");
      assertThat(schema.path("title").asText()).isNotBlank();
    }
  }

  // ---- (b) serialised samples validate --------------------------------------------------------

  @Test
  void serialisedSampleJobsValidateAgainstTheSchema() throws IOException {
    for (JobRequest job :
        List.of(
            Samples.fullJob(), Samples.minimalJob(), JobRequest.builder("j", "t", "p").build())) {
      assertThat(JOB_VALIDATOR.validate(Json.mapper().readTree(JobCodec.encode(job))))
          .as(job.toString())
          .isEmpty();
    }
  }

  @Test
  void serialisedSampleEventsValidateAgainstTheSchema() throws IOException {
    for (StatusEvent event :
        List.of(Samples.succeededEvent(), Samples.failedEvent(), Samples.minimalEvent())) {
      assertThat(EVENT_VALIDATOR.validate(Json.mapper().readTree(JobCodec.encodeEvent(event))))
          .as(event.toString())
          .isEmpty();
    }
  }

  @Test
  void theSchemaAcceptsTheMinimalJobAProducerMaySend() {
    assertThat(
            JOB_VALIDATOR.validate(
                "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\"}", InputFormat.JSON))
        .isEmpty();
  }

  // ---- (c) examples validate and decode -------------------------------------------------------

  @Test
  void exampleJobValidatesDecodesAndPassesValidation() throws IOException {
    byte[] bytes = read(Schemas.EXAMPLE_JOB_REQUEST);
    assertThat(JOB_VALIDATOR.validate(Json.mapper().readTree(bytes))).isEmpty();
    JobRequest job = JobCodec.decode(bytes);
    assertThat(new JobValidator().validate(job)).isEmpty();
    assertThat(job.imageSize()).contains(ImageSize.LANDSCAPE);
    assertThat(Json.mapper().readTree(JobCodec.encode(job)))
        .isEqualTo(Json.mapper().readTree(bytes));
  }

  @ParameterizedTest
  @ValueSource(strings = {Schemas.EXAMPLE_EVENT_SUCCEEDED, Schemas.EXAMPLE_EVENT_FAILED_INVALID})
  void exampleEventsValidateAndDecode(String resource) throws IOException {
    byte[] bytes = read(resource);
    assertThat(EVENT_VALIDATOR.validate(Json.mapper().readTree(bytes))).isEmpty();
    StatusEvent event = JobCodec.decodeEvent(bytes);
    assertThat(event.isTerminal()).isTrue();
    assertThat(Json.mapper().readTree(JobCodec.encodeEvent(event)))
        .isEqualTo(Json.mapper().readTree(bytes));
  }

  @Test
  void failedExampleShowsWhatTheValidatorReallySays() throws IOException {
    StatusEvent example = JobCodec.decodeEvent(read(Schemas.EXAMPLE_EVENT_FAILED_INVALID));
    JobRequest job =
        JobRequest.builder(example.jobId(), example.tenant(), "a chair")
            .n(12)
            .size("5:4")
            .callbackUrl("https://10.20.0.7/imagefleet")
            .build();
    JobError error = JobError.invalid(new JobValidator().validate(job));
    assertThat(example.error()).isEqualTo(error);
  }

  // ---- (d) known-bad documents are rejected, by the schema and by the validator -----------------

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "job_id  | {\"tenant\":\"t\",\"prompt\":\"p\"}",
        "n       | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"n\":11}",
        "n       | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"n\":0}",
        "size    | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"size\":\"5:4\"}",
        "quality | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"quality\":\"ultra\"}",
        "job_id  | {\"job_id\":\"a b\",\"tenant\":\"t\",\"prompt\":\"p\"}",
        "job_id  | {\"job_id\":\"..\",\"tenant\":\"t\",\"prompt\":\"p\"}",
        "tenant  | {\"job_id\":\"j\",\"tenant\":\"Team\",\"prompt\":\"p\"}",
        "prompt  | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"  \"}",
        "route   | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"route\":\"GPT\"}",
        "attempt | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"attempt\":0}",
        "schema_version | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"schema_version\":2}",
        "callback_url | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"callback_url\":\"http://hooks.example.com/x\"}",
        "max_cost_usd | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"max_cost_usd\":0}",
        "reference_image_urls | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"reference_image_urls\":[\"https://a.example/x.gif\"]}",
        "reference_image_urls | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"reference_image_urls\":[\"ftp://a.example/x.png\"]}",
        "metadata | {\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"metadata\":{\"\":\"v\"}}"
      })
  void badJobsAreRejectedByTheSchemaAndTheValidatorAlike(String field, String json)
      throws IOException {
    Set<ValidationMessage> schemaErrors = JOB_VALIDATOR.validate(Json.mapper().readTree(json));
    assertThat(schemaErrors)
        .as("schema errors for " + json)
        .isNotEmpty()
        .anyMatch(
            m ->
                field.equals(m.getProperty())
                    || m.getInstanceLocation().toString().contains(field));
    List<FieldError> javaErrors =
        new JobValidator().validate(JobCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(javaErrors)
        .as("validator errors for " + json)
        .extracting(FieldError::field)
        .anyMatch(name -> name.startsWith(field));
  }

  /**
   * Every numeric bound at, just inside and just beyond its limit, and numbers whose exponents no
   * formatting survives: the schema and the validator give the same verdict on each. {@code
   * accepted} says which; the field is named when refused.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "max_cost_usd | 0.000001          | true",
        "max_cost_usd | 0.0000001         | false",
        "max_cost_usd | 0.0000015         | false",
        "max_cost_usd | 1.500000          | true",
        "max_cost_usd | 9999.999999       | true",
        "max_cost_usd | 10000             | true",
        "max_cost_usd | 10000.000001      | false",
        "max_cost_usd | 10001             | false",
        "max_cost_usd | 0                 | false",
        "max_cost_usd | -0.000001         | false",
        "max_cost_usd | 1e-999999999      | false",
        "max_cost_usd | 1e999999999       | false",
        "max_cost_usd | -1e999999999      | false",
        "max_cost_usd | 1e-7              | false",
        "max_cost_usd | 1e4               | true",
        "max_cost_usd | 1E+5              | false",
        "attempt      | 1                 | true",
        "attempt      | 1000              | true",
        "attempt      | 1001              | false",
        "attempt      | 0                 | false",
        "attempt      | -2147483648       | false",
        "attempt      | 2147483647        | false",
        "n            | 1                 | true",
        "n            | 10                | true",
        "n            | 11                | false",
        "n            | 2147483647        | false",
        "n            | -2147483648       | false"
      })
  void schemaAndValidatorAgreeOnEveryNumericBound(String field, String number, boolean accepted)
      throws IOException {
    String json =
        "{\"job_id\":\"j\",\"tenant\":\"t\",\"prompt\":\"p\",\"" + field + "\":" + number + "}";
    // Numbers as BigDecimal, as the job decoder reads them: as doubles, 1e999999999 is Infinity,
    // which
    // the schema library cannot compare, and 1e-999999999 is 0.
    JsonNode tree =
        Json.mapper()
            .reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(json);
    Set<ValidationMessage> schemaErrors =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> JOB_VALIDATOR.validate(tree));
    List<FieldError> javaErrors =
        new JobValidator().validate(JobCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
    if (accepted) {
      assertThat(schemaErrors).as("schema errors for " + json).isEmpty();
      assertThat(javaErrors).as("validator errors for " + json).isEmpty();
    } else {
      assertThat(schemaErrors)
          .as("schema errors for " + json)
          .isNotEmpty()
          .allMatch(m -> m.getInstanceLocation().toString().contains(field));
      assertThat(javaErrors)
          .as("validator errors for " + json)
          .extracting(FieldError::field)
          .containsExactly(field);
    }
  }

  @Test
  void tooManyReferenceImagesAreRejectedByTheSchemaAndTheValidatorAlike() throws IOException {
    ObjectNode job =
        (ObjectNode)
            Json.mapper()
                .readTree(
                    JobCodec.encode(
                        JobRequest.builder("j", "t", "p")
                            .referenceImageUrls(Collections.nCopies(17, "https://a.example/x.png"))
                            .build()));
    assertThat(JOB_VALIDATOR.validate(job)).isNotEmpty();
    assertThat(new JobValidator().validate(JobCodec.decode(Json.mapper().writeValueAsBytes(job))))
        .extracting(FieldError::code)
        .containsExactly("too_many");
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "event_id", "occurred_at", "job_id"})
  void eventsMissingARequiredFieldAreRejectedByTheSchemaAndTheDecoderAlike(String field)
      throws IOException {
    ObjectNode event =
        (ObjectNode) Json.mapper().readTree(JobCodec.encodeEvent(Samples.minimalEvent()));
    event.remove(field);
    assertThat(EVENT_VALIDATOR.validate(event)).isNotEmpty();
    assertThatThrownBy(() -> JobCodec.decodeEvent(Json.mapper().writeValueAsBytes(event)))
        .isInstanceOf(UndecodableJobException.class);
  }

  @Test
  void eventsWithAnUnknownStatusAreRejectedByTheSchema() throws IOException {
    ObjectNode event =
        (ObjectNode) Json.mapper().readTree(JobCodec.encodeEvent(Samples.minimalEvent()));
    event.put("status", "DONE");
    assertThat(EVENT_VALIDATOR.validate(event)).isNotEmpty();
  }

  @Test
  void opensEverySchemaResourceAndRefusesUnknownOnes() throws IOException {
    for (String resource :
        List.of(
            Schemas.JOB_REQUEST_V1,
            Schemas.STATUS_EVENT_V1,
            Schemas.EXAMPLE_JOB_REQUEST,
            Schemas.EXAMPLE_EVENT_SUCCEEDED,
            Schemas.EXAMPLE_EVENT_FAILED_INVALID)) {
      try (InputStream in = Schemas.open(resource)) {
        assertThat(Json.mapper().readTree(in).isObject()).as(resource).isTrue();
      }
    }
    assertThatThrownBy(() -> Schemas.open("/schemas/nope.json"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("/schemas/nope.json");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static JsonNode resolve(JsonNode root, JsonNode node) {
    assertThat(node).isNotNull();
    if (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      assertThat(ref).as("only local references").startsWith("#/");
      return resolve(root, root.at(ref.substring(1)));
    }
    return node;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node != null && node.isObject()) {
      node.fieldNames().forEachRemaining(names::add);
    } else if (node != null && node.isArray()) {
      node.forEach(n -> names.add(n.asText()));
    }
    return names;
  }

  private static List<String> texts(JsonNode array) {
    return fieldNames(array);
  }

  private static JsonNode tree(String resource) {
    try (InputStream in = Schemas.open(resource)) {
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = Schemas.open(resource)) {
      return in.readAllBytes();
    }
  }
}
