package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeps {@link CallbackDelivery} and {@code callback-delivery.v1.schema.json} in agreement. */
class CallbackDeliverySchemaTest {
  private static final JsonNode SCHEMA = tree();
  private static final JsonSchema VALIDATOR =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(
              SCHEMA, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

  static CallbackDelivery delivered() {
    return new CallbackDelivery(
        1,
        "6c1d0f8e-3f7a-4b7e-9a55-3d2b8f0c1a2e",
        "catalog-1",
        "catalog",
        1,
        "https://hooks.example.com/imagefleet",
        CallbackDelivery.Status.DELIVERED,
        204,
        1,
        null,
        Instant.parse("2026-11-24T09:16:03Z"),
        "worker-7f9c");
  }

  static CallbackDelivery refused() {
    return new CallbackDelivery(
        0,
        "e",
        "catalog-2",
        "catalog",
        2,
        "https://hooks.example.com/x",
        CallbackDelivery.Status.REFUSED,
        null,
        0,
        "hooks.example.com resolved to private address 127.0.0.1",
        Instant.parse("2026-11-24T09:16:03Z"),
        "worker-7f9c");
  }

  @Test
  void schemaHasExactlyTheFieldsTheRecordWritesWithTheSameTypes() {
    Map<String, String> names = serialisedNames();
    assertThat(names.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(CallbackDelivery.class.getRecordComponents())
                .map(RecordComponent::getName)
                .toList());
    assertThat(fieldNames(SCHEMA.get("properties")))
        .containsExactlyInAnyOrderElementsOf(names.values());
    assertThat(fieldNames(SCHEMA.get("required"))).isSubsetOf(names.values());
    assertThat(SCHEMA.path("additionalProperties").asBoolean(false)).isTrue();
    for (RecordComponent component : CallbackDelivery.class.getRecordComponents()) {
      JsonNode property = SCHEMA.get("properties").get(names.get(component.getName()));
      assertThat(property.path("description").asText()).as(component.getName()).isNotBlank();
      assertThat(property.path("type").asText())
          .as(component.getName())
          .isEqualTo(jsonType(component.getType()));
    }
  }

  @Test
  void statusEnumMatchesTheJavaEnum() {
    List<String> schema = fieldNames(SCHEMA.at("/properties/status/enum"));
    assertThat(schema)
        .containsExactlyElementsOf(
            Arrays.stream(CallbackDelivery.Status.values()).map(Enum::name).toList());
  }

  @Test
  void serialisedSamplesValidateAndRoundTrip() throws IOException {
    for (CallbackDelivery sample : List.of(delivered(), refused())) {
      byte[] json = Json.mapper().writeValueAsBytes(sample);
      assertThat(VALIDATOR.validate(Json.mapper().readTree(json))).as(sample.toString()).isEmpty();
      assertThat(Json.mapper().readValue(json, CallbackDelivery.class)).isEqualTo(sample);
    }
    assertThat(
            Json.mapper().readTree(Json.mapper().writeValueAsBytes(refused())).has("http_status"))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"job_id", "status", "occurred_at"})
  void recordsMissingARequiredFieldAreRejectedByTheSchema(String field) throws IOException {
    ObjectNode node =
        (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsBytes(delivered()));
    node.remove(field);
    assertThat(VALIDATOR.validate(node)).isNotEmpty();
  }

  @Test
  void unknownStatusIsRejectedByTheSchema() throws IOException {
    ObjectNode node =
        (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsBytes(delivered()));
    node.put("status", "BOUNCED");
    assertThat(VALIDATOR.validate(node)).isNotEmpty();
  }

  @Test
  void schemaDeclaresDraft202012AndAnId() {
    assertThat(SCHEMA.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(SCHEMA.path("$id").asText()).endsWith("callback-delivery.v1.schema.json");
  }

  private static Map<String, String> serialisedNames() {
    BeanDescription description =
        Json.mapper()
            .getSerializationConfig()
            .introspect(Json.mapper().constructType(CallbackDelivery.class));
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
    if (type == int.class || type == Integer.class) {
      return "integer";
    }
    if (type == String.class || type == Instant.class || type.isEnum()) {
      return "string";
    }
    throw new AssertionError("no JSON type known for " + type + "; extend this test");
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

  private static JsonNode tree() {
    try (InputStream in = Schemas.open(Schemas.CALLBACK_DELIVERY_V1)) {
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
