package io.imagefleet.worker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a {@link WorkerConfig} from one properties file plus environment overrides.
 *
 * <p>Keys are listed in docs/configuration.md ({@code ConfigurationDocsTest} keeps it complete). An
 * environment variable overrides a key when its name is the key upper-cased with {@code .} and
 * {@code -} turned into {@code _}, prefixed {@code IMAGEFLEET_} ({@code upstream.base-url} ->
 * {@code IMAGEFLEET_UPSTREAM_BASE_URL}). Every {@code kafka.*} key goes to the Kafka clients as is;
 * from the environment, {@code IMAGEFLEET_KAFKA_SASL_MECHANISM} becomes {@code
 * kafka.sasl.mechanism} (Kafka names use dots only). How values are parsed and checked is {@link
 * ConfigReader}'s part; each key and its default belong to the settings record that reads it.
 */
public final class ConfigLoader {
  private static final String KAFKA_ENV_PREFIX = Key.ENV_PREFIX + "KAFKA_";

  private ConfigLoader() {}

  /**
   * Loads {@code file} (may be null: defaults and environment only) with overrides from {@code
   * env}.
   */
  public static WorkerConfig load(Path file, Map<String, String> env) {
    return fromMap(file == null ? Map.of() : readProperties(file), env);
  }

  /**
   * Builds the configuration from key/value pairs, then environment overrides. A key the worker
   * does not read, or an {@code IMAGEFLEET_*} variable of the worker's that sets none, is refused
   * ({@link UnknownKeys}).
   */
  public static WorkerConfig fromMap(Map<String, String> fileValues, Map<String, String> env) {
    return WorkerConfig.from(new ConfigReader(checkedValues(fileValues, env)));
  }

  /**
   * Only the {@code storage.*} settings of {@code file} (may be null) with overrides from {@code
   * env}: for tools that read what the workers stored (the console), from the workers' own file,
   * without needing the rest of a worker's configuration to be complete.
   */
  public static StorageSettings loadStorage(Path file, Map<String, String> env) {
    return storageFromMap(file == null ? Map.of() : readProperties(file), env);
  }

  /** {@link #loadStorage} from key/value pairs. */
  public static StorageSettings storageFromMap(
      Map<String, String> fileValues, Map<String, String> env) {
    return StorageSettings.from(new ConfigReader(checkedValues(fileValues, env)));
  }

  /**
   * The effective value of every key {@code file} and {@code env} give a worker, sorted by key:
   * each declared key, set or at its default (empty when it has none), and each key of a pattern
   * that is set. Secrets are shown as they are: mask them ({@link Redaction}) before showing them.
   */
  public static SortedMap<String, String> effectiveValues(Path file, Map<String, String> env) {
    Map<String, String> values = checkedValues(file == null ? Map.of() : readProperties(file), env);
    SortedMap<String, String> effective = new TreeMap<>();
    WorkerConfig.KEYS.forEach(
        key -> effective.put(key.name(), key.defaultValue() == null ? "" : key.defaultValue()));
    values.forEach((key, value) -> effective.put(key, value.trim()));
    return effective;
  }

  private static Map<String, String> checkedValues(
      Map<String, String> fileValues, Map<String, String> env) {
    UnknownKeys.check(
        fileValues.keySet(), env.keySet(), name -> setsAKey(fileValues.keySet(), name));
    return withEnvironment(fileValues, env);
  }

  /** Whether the variable {@code name} sets a key, given the keys the file sets. */
  private static boolean setsAKey(Set<String> fileKeys, String name) {
    // A value no variable could hold shows where the variable's value went, if anywhere.
    String marker = "\u0000set by " + name;
    Map<String, String> unset = new HashMap<>();
    fileKeys.forEach(key -> unset.put(key, ""));
    return withEnvironment(unset, Map.of(name, marker)).containsValue(marker);
  }

  /**
   * The configuration key an {@code IMAGEFLEET_*} environment variable sets, if it sets one: a
   * known key, or a {@code kafka.*} key for {@code IMAGEFLEET_KAFKA_*}. For checking deployment
   * files.
   */
  public static Optional<String> keyOfEnvironmentVariable(String name) {
    if (name.startsWith(KAFKA_ENV_PREFIX)) {
      return Optional.of(kafkaKey(name));
    }
    return WorkerConfig.KEYS.stream()
        .filter(key -> key.envName().equals(name))
        .map(Key::name)
        .sorted()
        .findFirst();
  }

  /** Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
  public static Duration parseDuration(String key, String text) {
    return ConfigReader.parseDuration(key, text);
  }

  private static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> m = new HashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
    return m;
  }

  /**
   * The file's values with the environment's on top. A variable counts for a known key or a key the
   * file sets ({@code routes.1.model}); names with a tenant or a Kafka property in them follow
   * their own rules, since turning {@code _} back into {@code .} or {@code -} is a guess only they
   * can make.
   */
  private static Map<String, String> withEnvironment(
      Map<String, String> fileValues, Map<String, String> env) {
    Map<String, String> v = new HashMap<>(fileValues);
    Set<String> names = new TreeSet<>(fileValues.keySet());
    WorkerConfig.KEYS.forEach(key -> names.add(key.name()));
    for (String name : names) {
      String fromEnv = env.get(Key.of(name).envName());
      if (fromEnv != null) {
        v.put(name, fromEnv);
      }
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(KAFKA_ENV_PREFIX)) {
            v.put(kafkaKey(name), value);
          }
        });
    RouteSettings.applyEnvironment(v, env);
    CallbackSettings.applyEnvironment(v, env);
    BudgetSettings.applyEnvironment(v, env);
    TenantSettings.applyEnvironment(v, env);
    return v;
  }

  private static String kafkaKey(String envName) {
    String property =
        envName.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    return KafkaSettings.PREFIX + property;
  }
}
