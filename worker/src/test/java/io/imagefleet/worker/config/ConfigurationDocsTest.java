package io.imagefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every configuration key the worker reads, and nothing else.
 *
 * <p>The keys in code are {@link WorkerConfig#KEYS}: every {@link Key} the settings records
 * declare, with a default, or optional or required without one. Since a key is read only through a
 * {@link Key}, a key spelled out in this package's sources ({@code Key.of("intake.poll-timeout",
 * ...)}) that the registry misses fails too: it would be read, but have no environment variable and
 * no row checked. Keys named after a route index, tenant or host cannot be listed; they are {@link
 * WorkerConfig#PATTERNS}, which the document must show as pattern rows.
 */
class ConfigurationDocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOC = ROOT.resolve("docs/configuration.md");
  private static final Path CONFIG_SOURCES = Path.of("src/main/java/io/imagefleet/worker/config");

  /** Pattern rows of the document: keys whose middle is a route index, a tenant, a host, ... */
  private static final List<String> PATTERNS =
      WorkerConfig.PATTERNS.stream().map(KeyPattern::text).toList();

  /** A key spelled out in the source: {@code Key.of("intake.poll-timeout", "50ms")}. */
  private static final Pattern DECLARED =
      Pattern.compile("Key\\.of\\(\\s*\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\"");

  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

  @Test
  void everyKeyInCodeIsDocumented() throws IOException {
    Set<String> documented = documentedKeys();
    List<String> missing = new ArrayList<>();
    for (String key : keysInCode()) {
      // kafka.* covers any client property, but the ones the worker requires need rows of their
      // own.
      boolean byPattern =
          PATTERNS.stream()
              .filter(p -> !p.equals("kafka.*"))
              .anyMatch(p -> KeyPattern.of(p).matches(key));
      if (!documented.contains(key) && !byPattern) {
        missing.add(key);
      }
    }
    assertThat(missing).as("keys the worker reads that have no row in %s", DOC).isEmpty();
  }

  @Test
  void everyDocumentedKeyExistsInCode() throws IOException {
    Set<String> inCode = keysInCode();
    Set<String> kafkaClientKeys = kafkaClientKeys();
    List<String> unknown = new ArrayList<>();
    for (String key : documentedKeys()) {
      boolean pattern = key.contains("<") || key.contains("*");
      boolean known =
          pattern
              ? PATTERNS.contains(key)
              : inCode.contains(key)
                  || key.startsWith("kafka.") && kafkaClientKeys.contains(key.substring(6));
      if (!known) {
        unknown.add(key);
      }
    }
    assertThat(unknown)
        .as("rows of %s that name no key the worker reads (nor a Kafka client property)", DOC)
        .isEmpty();
  }

  @Test
  void everyPatternIsDocumented() throws IOException {
    assertThat(documentedKeys()).containsAll(PATTERNS);
  }

  @Test
  void theDocumentHasOneKeyTableWithEachKeyOnce() throws IOException {
    assertThat(keyTables(Files.readAllLines(DOC, StandardCharsets.UTF_8))).hasSize(1);
    List<String> all = documentedKeyList();
    assertThat(all).doesNotHaveDuplicates();
  }

  @Test
  void everyKeyDeclaredInTheSourcesIsInTheRegistry() throws IOException {
    assertThat(keysInCode()).containsAll(keysDeclaredInSources());
  }

  @Test
  void theRegistryAndTheSourceScanFindTheKeysTheyAreMeantToFind() throws IOException {
    List<String> meant =
        List.of(
            "intake.commit-gap",
            "storage.s3.bucket",
            "storage.s3.secret-access-key-file",
            "callbacks.trust-store-password-file",
            "budgets.decision-timeout",
            "ops.advertised-url");
    assertThat(keysInCode())
        .contains(meant.toArray(String[]::new))
        .contains("kafka." + KafkaSettings.BOOTSTRAP_SERVERS, "kafka." + KafkaSettings.GROUP_ID);
    assertThat(keysDeclaredInSources()).contains(meant.toArray(String[]::new));
  }

  /** Every concrete key the code knows. */
  private static Set<String> keysInCode() {
    Set<String> keys = new TreeSet<>();
    WorkerConfig.KEYS.forEach(key -> keys.add(key.name()));
    return keys;
  }

  private static Set<String> keysDeclaredInSources() throws IOException {
    Set<String> keys = new TreeSet<>();
    try (Stream<Path> files = Files.list(CONFIG_SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = DECLARED.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
          keys.add(m.group(1));
        }
      }
    }
    return keys;
  }

  private static Set<String> kafkaClientKeys() {
    Set<String> names = new TreeSet<>(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return names;
  }

  private static Set<String> documentedKeys() throws IOException {
    return new TreeSet<>(documentedKeyList());
  }

  /** The code spans of the first column of the document's key table, in order. */
  private static List<String> documentedKeyList() throws IOException {
    List<List<String>> tables = keyTables(Files.readAllLines(DOC, StandardCharsets.UTF_8));
    assertThat(tables)
        .as("a table with the header | key | default | meaning | in %s", DOC)
        .isNotEmpty();
    List<String> keys = new ArrayList<>();
    for (String row : tables.get(0)) {
      String firstCell = row.split("\\|", -1)[1];
      Matcher m = CODE_SPAN.matcher(firstCell);
      while (m.find()) {
        keys.add(m.group(1).trim());
      }
    }
    return keys;
  }

  /** Each table whose header's first cell is "key": its body rows. */
  private static List<List<String>> keyTables(List<String> lines) {
    Map<Integer, List<String>> tables = new LinkedHashMap<>();
    Integer current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith("|")) {
        current = null;
      } else if (current == null && line.split("\\|", -1)[1].trim().equals("key")) {
        current = i;
        tables.put(i, new ArrayList<>());
      } else if (current != null && !line.matches("\\|[-| :]+\\|")) {
        tables.get(current).add(line);
      }
    }
    return new ArrayList<>(tables.values());
  }
}
