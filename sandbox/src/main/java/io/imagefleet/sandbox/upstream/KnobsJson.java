package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of {@link SimulatorKnobs} for {@code POST /admin/faults}. A body changes only the
 * fields it names; fault rates are patched field by field, {@code taskFailureRates} is replaced
 * whole. Example:
 *
 * <pre>{@code
 * {"taskDuration": {"type": "lognormal", "median": "20s", "p99": "2m"},
 *  "createLatency": "150ms",
 *  "queryLatency": {"type": "uniform", "min": "20ms", "max": "80ms"},
 *  "createFaults": {"rateLimited": 0.05, "retryAfterSeconds": 2, "serviceUnavailable": 0.01, "hang": 0.001},
 *  "queryFaults": {"internalError": 0.01},
 *  "taskFailureRates": {"content_policy_violation": 0.02, "generation_timeout": 0.01},
 *  "quotaExhausted": false,
 *  "createsPerSecond": 20, "queriesPerSecond": 60}
 * }</pre>
 *
 * A distribution is a duration string (fixed) or an object with {@code type} fixed ({@code value}),
 * uniform ({@code min}, {@code max}) or lognormal ({@code median}, {@code p99}); durations are
 * {@code 250ms}, {@code 3s}, {@code 2m}, {@code 1h}, ISO-8601 or a number of milliseconds. Rate
 * limits are requests per second ({@code 0} lifts the limit).
 */
final class KnobsJson {

  private static final Set<String> FIELDS =
      Set.of(
          "taskDuration",
          "createLatency",
          "queryLatency",
          "createFaults",
          "queryFaults",
          "taskFailureRates",
          "quotaExhausted",
          "createsPerSecond",
          "queriesPerSecond");
  private static final Set<String> FAULT_FIELDS =
      Set.of(
          "rateLimited",
          "internalError",
          "badGateway",
          "serviceUnavailable",
          "hang",
          "retryAfterSeconds");

  private KnobsJson() {}

  /**
   * @throws IllegalArgumentException naming the bad field
   */
  static SimulatorKnobs apply(SimulatorKnobs knobs, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    for (Iterator<String> names = patch.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '" + name + "'; known fields are " + FIELDS);
      }
    }
    SimulatorKnobs k = knobs;
    if (patch.has("taskDuration")) {
      k = k.withTaskDuration(distribution("taskDuration", patch.get("taskDuration")));
    }
    if (patch.has("createLatency")) {
      k = k.withCreateLatency(distribution("createLatency", patch.get("createLatency")));
    }
    if (patch.has("queryLatency")) {
      k = k.withQueryLatency(distribution("queryLatency", patch.get("queryLatency")));
    }
    if (patch.has("createFaults")) {
      k = k.withCreateFaults(faults("createFaults", k.createFaults(), patch.get("createFaults")));
    }
    if (patch.has("queryFaults")) {
      k = k.withQueryFaults(faults("queryFaults", k.queryFaults(), patch.get("queryFaults")));
    }
    if (patch.has("taskFailureRates")) {
      k = k.withTaskFailureRates(failureRates(patch.get("taskFailureRates")));
    }
    if (patch.has("quotaExhausted")) {
      JsonNode node = patch.get("quotaExhausted");
      if (!node.isBoolean()) {
        throw new IllegalArgumentException("quotaExhausted must be true or false, but was " + node);
      }
      k = k.withQuotaExhausted(node.booleanValue());
    }
    if (patch.has("createsPerSecond")) {
      k = k.withCreatesPerSecond(perSecond("createsPerSecond", patch.get("createsPerSecond")));
    }
    if (patch.has("queriesPerSecond")) {
      k = k.withQueriesPerSecond(perSecond("queriesPerSecond", patch.get("queriesPerSecond")));
    }
    return k;
  }

  static ObjectNode render(ObjectMapper mapper, SimulatorKnobs knobs) {
    ObjectNode json = mapper.createObjectNode();
    json.set("taskDuration", render(mapper, knobs.taskDuration()));
    json.set("createLatency", render(mapper, knobs.createLatency()));
    json.set("queryLatency", render(mapper, knobs.queryLatency()));
    json.set("createFaults", render(mapper, knobs.createFaults()));
    json.set("queryFaults", render(mapper, knobs.queryFaults()));
    ObjectNode failures = json.putObject("taskFailureRates");
    knobs.taskFailureRates().forEach(failures::put);
    json.put("quotaExhausted", knobs.quotaExhausted());
    json.put("createsPerSecond", knobs.createsPerSecond());
    json.put("queriesPerSecond", knobs.queriesPerSecond());
    return json;
  }

  private static ObjectNode render(ObjectMapper mapper, DurationDistribution distribution) {
    ObjectNode json = mapper.createObjectNode();
    if (distribution instanceof DurationDistribution.Fixed fixed) {
      json.put("type", "fixed");
      json.put("value", DurationText.format(fixed.value()));
    } else if (distribution instanceof DurationDistribution.Uniform uniform) {
      json.put("type", "uniform");
      json.put("min", DurationText.format(uniform.min()));
      json.put("max", DurationText.format(uniform.max()));
    } else if (distribution instanceof DurationDistribution.LogNormal logNormal) {
      json.put("type", "lognormal");
      json.put("median", DurationText.format(logNormal.median()));
      json.put("p99", DurationText.format(logNormal.p99()));
    }
    return json;
  }

  private static ObjectNode render(ObjectMapper mapper, FaultRates rates) {
    ObjectNode json = mapper.createObjectNode();
    json.put("rateLimited", rates.rateLimited());
    json.put("internalError", rates.internalError());
    json.put("badGateway", rates.badGateway());
    json.put("serviceUnavailable", rates.serviceUnavailable());
    json.put("hang", rates.hang());
    json.put("retryAfterSeconds", rates.retryAfterSeconds());
    return json;
  }

  static DurationDistribution distribution(String field, JsonNode node) {
    if (node.isTextual() || node.isNumber()) {
      return DurationDistribution.fixed(duration(field, node));
    }
    if (!node.isObject() || !node.has("type")) {
      throw new IllegalArgumentException(field + " must be a duration or an object with a type");
    }
    String type = node.get("type").asText();
    return switch (type) {
      case "fixed" -> DurationDistribution.fixed(duration(field + ".value", node.get("value")));
      case "uniform" ->
          DurationDistribution.uniform(
              duration(field + ".min", node.get("min")), duration(field + ".max", node.get("max")));
      case "lognormal" ->
          DurationDistribution.logNormal(
              duration(field + ".median", node.get("median")),
              duration(field + ".p99", node.get("p99")));
      default ->
          throw new IllegalArgumentException(
              field + ".type must be fixed, uniform or lognormal, but was " + type);
    };
  }

  private static Duration duration(String field, JsonNode node) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (node.isNumber()) {
      return Duration.ofMillis(node.asLong());
    }
    try {
      return DurationText.parse(node.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage());
    }
  }

  private static FaultRates faults(String field, FaultRates current, JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(field + " must be an object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FAULT_FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '" + field + "." + name + "'; known fields are " + FAULT_FIELDS);
      }
    }
    return new FaultRates(
        rate(field, "rateLimited", node, current.rateLimited()),
        rate(field, "internalError", node, current.internalError()),
        rate(field, "badGateway", node, current.badGateway()),
        rate(field, "serviceUnavailable", node, current.serviceUnavailable()),
        rate(field, "hang", node, current.hang()),
        node.has("retryAfterSeconds")
            ? wholeNumber(field + ".retryAfterSeconds", node.get("retryAfterSeconds"))
            : current.retryAfterSeconds());
  }

  private static double rate(String field, String name, JsonNode node, double current) {
    if (!node.has(name)) {
      return current;
    }
    JsonNode value = node.get(name);
    if (!value.isNumber()) {
      throw new IllegalArgumentException(
          field + "." + name + " must be a number, but was " + value);
    }
    return value.asDouble();
  }

  private static double perSecond(String field, JsonNode value) {
    if (!value.isNumber()) {
      throw new IllegalArgumentException(
          field + " must be a number of requests per second, but was " + value);
    }
    return value.asDouble();
  }

  private static int wholeNumber(String field, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(field + " must be a whole number, but was " + value);
    }
    return value.asInt();
  }

  private static Map<String, Double> failureRates(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("taskFailureRates must be an object of code to rate");
    }
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isNumber()) {
        throw new IllegalArgumentException(
            "taskFailureRates." + e.getKey() + " must be a number, but was " + e.getValue());
      }
      rates.put(e.getKey(), e.getValue().asDouble());
    }
    return rates;
  }
}
