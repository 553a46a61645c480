package io.imagefleet.worker.config;

import java.util.Map;
import java.util.function.Function;
import java.util.Optional;

/**
 * Defaults and loading of the delivery-and-money settings (storage, costs, callbacks, budgets), kept
 * out of {@link ConfigLoader} so that it only has to call in here.
 */
final class DeliveryDefaults {
  private DeliveryDefaults() {}

  static void addTo(Map<String, String> d) {
    d.put("storage.type", "local");
    d.put("storage.s3.endpoint", null);
    d.put("storage.s3.bucket", null);
    d.put("storage.s3.prefix", null);
    d.put("storage.s3.region", "us-east-1");
    d.put("storage.s3.access-key-id", null);
    d.put("storage.s3.secret-access-key", null);
    d.put("storage.s3.secret-access-key-file", null);
    d.put("storage.s3.path-style", "false");
    CostSettings.publishedTable().keySet().forEach(k -> d.put(CostSettings.OUTPUT_TOKENS_PREFIX + k, null));
    d.put(CostSettings.REFERENCE_IMAGE_TOKENS, String.valueOf(CostSettings.PUBLISHED_REFERENCE_IMAGE_TOKENS));
    d.put("topics.callbacks", io.imagefleet.contracts.Topics.CALLBACKS);
    d.put("callbacks.timeout", "10s");
    d.put("callbacks.max-attempts", "4");
    d.put("callbacks.initial-backoff", "1s");
    d.put("callbacks.max-response-bytes", "65536");
    d.put("callbacks.threads", "4");
    d.put("callbacks.queue-capacity", "10000");
    d.put("callbacks.allow-private-destinations", "false");
    d.put("callbacks.trust-store", null);
    d.put("callbacks.trust-store-password", null);
    d.put("callbacks.trust-store-password-file", null);
    d.put("topics.budgets", io.imagefleet.contracts.Topics.BUDGETS);
    d.put("budgets.decision-timeout", "30s");
  }

  /** Environment variables whose key names a tenant, which no default table can list. */
  static void applyEnvironment(Map<String, String> values, Map<String, String> env) {
    CallbackSettings.applyEnvironment(values, env);
    BudgetSettings.applyEnvironment(values, env);
  }

  static StorageSettings storage(Function<String, Optional<String>> lookup, Map<String, String> all) {
    return StorageSettings.load(new KeyReader(lookup, all));
  }

  static CostSettings costs(Function<String, Optional<String>> lookup, Map<String, String> all) {
    return CostSettings.load(new KeyReader(lookup, all));
  }

  static CallbackSettings callbacks(Function<String, Optional<String>> lookup, Map<String, String> all) {
    return CallbackSettings.load(new KeyReader(lookup, all));
  }

  static BudgetSettings budgets(Function<String, Optional<String>> lookup, Map<String, String> all) {
    return BudgetSettings.load(new KeyReader(lookup, all));
  }
}
