package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps {@link CancelRequest} and {@code cancel-request.v1.schema.json} in agreement. */
class CancelRequestSchemaTest {
  private static final JsonNode SCHEMA = tree(Schemas.CANCEL_REQUEST_V1);
  private static final JsonSchema VALIDATOR =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(
              SCHEMA, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  private static final Instant AT = Instant.parse("2026-11-24T09:20:00Z");

  static List<CancelRequest> samples() {
    return List.of(
        CancelRequest.ofJob("r1", "catalog", "catalog-1", "wrong prompt", AT, "alice"),
        CancelRequest.ofPrefix("r2", "catalog", "catalog-2026-", null, AT, null),
        CancelRequest.ofAllQueued("r3", "marketing", "mistake", AT, "ops"));
  }

  @Test
  void schemaHasExactlyTheFieldsTheRecordWrites() {
    Map<String, String> names = serialisedNames();
    assertThat(names.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(CancelRequest.class.getRecordComponents())
                .map(RecordComponent::getName)
                .toList());
    assertThat(fieldNames(SCHEMA.get("properties")))
        .containsExactlyInAnyOrderElementsOf(names.values());
    assertThat(fieldNames(SCHEMA.get("required"))).isSubsetOf(names.values());
    assertThat(SCHEMA.path("additionalProperties").asBoolean(false)).isTrue();
    for (String name : names.values()) {
      assertThat(SCHEMA.at("/properties/" + name + "/description").asText()).as(name).isNotBlank();
    }
    assertThat(fieldNames(SCHEMA.at("/properties/scope/enum")))
        .containsExactlyElementsOf(
            Arrays.stream(CancelScope.values()).map(CancelScope::wire).toList());
    assertThat(SCHEMA.at("/properties/reason/maxLength").asInt())
        .isEqualTo(CancelRequest.MAX_REASON_CHARS);
  }

  @Test
  void samplesAndTheExampleValidateRoundTripAndAreValid() throws IOException {
    for (CancelRequest sample : samples()) {
      byte[] json = JobCodec.encodeCancel(sample);
      assertThat(VALIDATOR.validate(Json.mapper().readTree(json))).as(sample.toString()).isEmpty();
      assertThat(JobCodec.decodeCancel(json)).isEqualTo(sample);
      assertThat(sample.invalidReason()).as(sample.toString()).isEmpty();
    }
    try (InputStream in = Schemas.open(Schemas.EXAMPLE_CANCEL_REQUEST)) {
      byte[] json = in.readAllBytes();
      assertThat(VALIDATOR.validate(Json.mapper().readTree(json))).isEmpty();
      assertThat(JobCodec.decodeCancel(json).invalidReason()).isEmpty();
    }
  }

  @Test
  void aScopeWithoutItsFieldIsRejectedByBoth() throws IOException {
    CancelRequest noPrefix =
        new CancelRequest(1, "r", "catalog", CancelScope.PREFIX, null, null, null, AT, null);
    assertThat(noPrefix.invalidReason()).hasValueSatisfying(r -> assertThat(r).contains("prefix"));
    assertThat(VALIDATOR.validate(Json.mapper().readTree(JobCodec.encodeCancel(noPrefix))))
        .isNotEmpty();
    CancelRequest noJob =
        new CancelRequest(1, "r", "catalog", CancelScope.JOB, null, null, null, AT, null);
    assertThat(noJob.invalidReason()).isPresent();
    assertThat(VALIDATOR.validate(Json.mapper().readTree(JobCodec.encodeCancel(noJob))))
        .isNotEmpty();
  }

  @Test
  void badTenantsTimesAndVersionsAreInvalid() {
    assertThat(CancelRequest.ofAllQueued("r", "Bad Tenant", null, AT, null).invalidReason())
        .isPresent();
    assertThat(CancelRequest.ofAllQueued("r", "catalog", null, null, null).invalidReason())
        .isPresent();
    assertThat(CancelRequest.ofAllQueued("", "catalog", null, AT, null).invalidReason())
        .isPresent();
    assertThat(
            new CancelRequest(2, "r", "catalog", CancelScope.ALL_QUEUED, null, null, null, AT, null)
                .invalidReason())
        .isPresent();
    assertThat(CancelRequest.ofPrefix("r", "catalog", "a/b", null, AT, null).invalidReason())
        .isPresent();
  }

  @Test
  void aLongReasonIsCutAndGarbageIsUndecodable() {
    String longReason = "x".repeat(CancelRequest.MAX_REASON_CHARS + 10);
    assertThat(CancelRequest.ofAllQueued("r", "catalog", longReason, AT, null).reason())
        .hasSize(CancelRequest.MAX_REASON_CHARS);
    assertThatThrownBy(() -> JobCodec.decodeCancel("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableJobException.class);
    assertThatThrownBy(
            () ->
                JobCodec.decodeCancel(
                    "{\"scope\":\"everything\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableJobException.class);
  }

  @Test
  void keyIsTheJobIdForOneJobElseTheTenant() {
    assertThat(samples().get(0).key()).isEqualTo("catalog-1");
    assertThat(samples().get(1).key()).isEqualTo("catalog");
    assertThat(samples().get(2).key()).isEqualTo("marketing");
  }

  @Test
  void requiredFieldMissingIsRejectedByTheSchema() throws IOException {
    ObjectNode node = (ObjectNode) Json.mapper().readTree(JobCodec.encodeCancel(samples().get(2)));
    node.remove("requested_at");
    assertThat(VALIDATOR.validate(node)).isNotEmpty();
  }

  private static Map<String, String> serialisedNames() {
    BeanDescription description =
        Json.mapper()
            .getSerializationConfig()
            .introspect(Json.mapper().constructType(CancelRequest.class));
    return description.findProperties().stream()
        .filter(BeanPropertyDefinition::couldSerialize)
        .collect(
            Collectors.toMap(
                BeanPropertyDefinition::getInternalName,
                BeanPropertyDefinition::getName,
                (a, b) -> a,
                TreeMap::new));
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

  private static JsonNode tree(String resource) {
    try (InputStream in = Schemas.open(resource)) {
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
