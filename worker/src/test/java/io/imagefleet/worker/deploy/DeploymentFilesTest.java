package io.imagefleet.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.OpsSettings;
import io.imagefleet.worker.config.TopicNames;
import io.imagefleet.worker.config.WorkerConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine on the build machines, so docker-compose.yml and the Dockerfile are
 * checked as files: they parse, every service refers to an image or a stage that exists, and the
 * ports, topics and environment agree with the worker's configuration keys.
 */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Variables the worker reads that are not configuration keys (WorkerCommand, logback*.xml). */
  private static final Set<String> LOGGING_VARIABLES =
      Set.of("IMAGEFLEET_LOG_FORMAT", "IMAGEFLEET_LOG_LEVEL");

  private final JsonNode compose = readYaml(ROOT.resolve("docker-compose.yml"));
  private final Dockerfile dockerfile = Dockerfile.read(ROOT.resolve("Dockerfile"));

  @Test
  void composeHasTheBrokerTopicsSimulatorAndAScaledWorker() {
    assertThat(names(compose.path("services"))).contains("kafka", "topics", "simulator", "worker");
    assertThat(compose.at("/services/worker/deploy/replicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(compose.at("/services/worker/ports").isMissingNode())
        .as("replicas cannot share a published port")
        .isTrue();
  }

  @Test
  void kafkaServicesUseTheApacheKafkaImageOfTheBuild() throws IOException {
    String kafkaVersion = property(Files.readString(ROOT.resolve("pom.xml")), "kafka.version");
    for (String service : List.of("kafka", "topics")) {
      assertThat(compose.at("/services/" + service + "/image").asText())
          .isEqualTo("apache/kafka:" + kafkaVersion);
    }
    assertThat(compose.at("/services/kafka/environment/KAFKA_PROCESS_ROLES").asText())
        .isEqualTo("broker,controller");
  }

  @Test
  void builtServicesNameStagesOfTheDockerfile() {
    for (String service : List.of("worker", "simulator")) {
      JsonNode build = compose.at("/services/" + service + "/build");
      assertThat(ROOT.resolve(build.path("context").asText()).resolve("Dockerfile")).exists();
      assertThat(dockerfile.stages()).containsKey(build.path("target").asText());
    }
    assertThat(dockerfile.lastStage()).as("docker build . gives the worker").isEqualTo("worker");
  }

  @Test
  void dockerfileBuildsFromFilesThatExistAndRunsAJreAsANonRootUser() throws IOException {
    for (String source : dockerfile.copySources()) {
      assertThat(ROOT.resolve(source)).as("COPY source %s", source).exists();
    }
    // Maven needs every module's POM in the build stage, or the reactor does not load.
    for (String module : modules(Files.readString(ROOT.resolve("pom.xml")))) {
      assertThat(dockerfile.copySources())
          .as("the Dockerfile copies %s/pom.xml", module)
          .contains(module + "/pom.xml");
    }
    for (String stage : List.of("worker", "simulator")) {
      assertThat(dockerfile.stages().get(stage))
          .as("stage %s runs on a JRE", stage)
          .endsWith("-jre");
      assertThat(dockerfile.users(stage))
          .as("stage %s drops root", stage)
          .isNotEmpty()
          .allSatisfy(user -> assertThat(user).isNotIn("root", "0"));
    }
    assertThat(dockerfile.text())
        .contains("io.imagefleet.worker.cli.WorkerCommand", "io.imagefleet.sandbox.SandboxMain");
  }

  @Test
  void everyWorkerVariableIsARealConfigurationKeyWithAValidValue() {
    Map<String, String> env = environment(compose.at("/services/worker/environment"));
    Map<String, String> values = new HashMap<>();
    for (String name : env.keySet()) {
      if (LOGGING_VARIABLES.contains(name)) {
        continue;
      }
      assertThat(ConfigLoader.keyOfEnvironmentVariable(name))
          .as("%s names a configuration key", name)
          .isPresent();
      values.put(
          ConfigLoader.keyOfEnvironmentVariable(name).orElseThrow(),
          resolveDefaults(env.get(name)));
    }
    WorkerConfig config =
        ConfigLoader.fromMap(values, Map.of()); // validates every value, naming a bad key
    assertThat(config.kafka().bootstrapServers()).isEqualTo(advertised("INTERNAL"));
    assertThat(config.upstream().baseUrl().getHost()).isEqualTo("simulator");
    assertThat(compose.at("/services/simulator/command").toString())
        .contains("\"--simulator-port\",\"" + config.upstream().baseUrl().getPort() + "\"")
        .contains("\"--simulator-host\",\"0.0.0.0\"");
    assertThat(config.upstream().apiKey().reveal())
        .isEqualTo(argumentAfter(compose.at("/services/simulator/command"), "--api-key"));
  }

  @Test
  void opsPortAgreesAcrossComposeDockerfileAndHealthCheck() {
    Map<String, String> env = environment(compose.at("/services/worker/environment"));
    String port = env.getOrDefault("IMAGEFLEET_OPS_PORT", String.valueOf(OpsSettings.DEFAULT_PORT));
    assertThat(port).isEqualTo(String.valueOf(OpsSettings.DEFAULT_PORT));
    assertThat(texts(compose.at("/services/worker/expose"))).containsExactly(port);
    assertThat(dockerfile.exposed("worker")).containsExactly(port);
    assertThat(dockerfile.text()).contains("/dev/tcp/127.0.0.1/" + port, "GET /health/ready");
  }

  @Test
  void opsEndpointListensBeyondLoopbackInContainers() {
    // The worker's default is loopback; a container's probes and scrapes come to its own address.
    Map<String, String> env = environment(compose.at("/services/worker/environment"));
    assertThat(env.get("IMAGEFLEET_OPS_BIND")).isEqualTo("0.0.0.0");
    assertThat(ConfigLoader.keyOfEnvironmentVariable("IMAGEFLEET_OPS_BIND")).contains("ops.bind");
    assertThat(dockerfile.text().replaceAll("\\\\\\n", " "))
        .containsPattern("ENV [^\\n]*IMAGEFLEET_OPS_BIND=0\\.0\\.0\\.0");
  }

  @Test
  void topicJobCreatesEveryTopicTheWorkerUsesWithTheRightLayout() throws Exception {
    String script = texts(compose.at("/services/topics/command")).get(0);
    Map<String, String> created = new LinkedHashMap<>();
    Matcher m = Pattern.compile("--topic (\\S+)([^\\n]*)").matcher(script);
    while (m.find()) {
      created.putIfAbsent(m.group(1), m.group(2));
    }
    WorkerConfig defaults =
        ConfigLoader.fromMap(
            Map.of(
                "kafka.bootstrap.servers",
                "b:9092",
                "upstream.base-url",
                "http://u",
                "upstream.api-key",
                "k"),
            Map.of());
    List<String> topics = new ArrayList<>();
    for (RecordComponent c :
        TopicNames.class.getRecordComponents()) { // jobs, events, dead letters, job state...
      topics.add((String) c.getAccessor().invoke(defaults.topics()));
    }
    topics.add(defaults.ops().workersTopic());
    topics.add(defaults.control().topic());
    assertThat(created.keySet()).containsAll(topics);

    String jobs = created.get(defaults.topics().jobs());
    String partitions = "--partitions \"$$PARTITIONS\"";
    assertThat(jobs).contains(partitions);
    assertThat(created.get("imagefleet.job-state.v1"))
        .as("job state: compacted, partitioned like the jobs")
        .contains(partitions)
        .contains("cleanup.policy=compact");
    assertThat(created.get(defaults.ops().workersTopic())).contains("cleanup.policy=compact");
    assertThat(created.get(defaults.topics().routeHealth()))
        .as("route health: compacted, one partition so every worker applies changes in order")
        .contains("--partitions 1")
        .contains("cleanup.policy=compact");
    assertThat(created.get(defaults.topics().events())).contains(partitions);
    assertThat(compose.at("/services/topics/environment/PARTITIONS").asText()).isEqualTo("24");
  }

  @Test
  void workerWaitsForTopicsAndGetsTimeToDrainOnStop() {
    assertThat(compose.at("/services/worker/depends_on/topics/condition").asText())
        .isEqualTo("service_completed_successfully");
    assertThat(compose.at("/services/topics/depends_on/kafka/condition").asText())
        .isEqualTo("service_healthy");
    Map<String, String> env = environment(compose.at("/services/worker/environment"));
    long grace =
        ConfigLoader.parseDuration(
                "intake.shutdown-grace",
                env.getOrDefault("IMAGEFLEET_INTAKE_SHUTDOWN_GRACE", "30s"))
            .toSeconds();
    long stop =
        ConfigLoader.parseDuration(
                "stop_grace_period", compose.at("/services/worker/stop_grace_period").asText())
            .toSeconds();
    assertThat(stop).as("SIGKILL must not come before the drain ends").isGreaterThan(grace);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private String advertised(String listener) {
    String listeners =
        compose.at("/services/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
    return List.of(listeners.split(",")).stream()
        .filter(l -> l.startsWith(listener + "://"))
        .map(l -> l.substring(listener.length() + 3))
        .findFirst()
        .orElseThrow();
  }

  /** {@code ${VAR:-default}} as compose resolves it with VAR unset. */
  private static String resolveDefaults(String value) {
    return value.replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1");
  }

  private static String argumentAfter(JsonNode command, String flag) {
    List<String> args = texts(command);
    return args.get(args.indexOf(flag) + 1);
  }

  private static Map<String, String> environment(JsonNode env) {
    Map<String, String> m = new LinkedHashMap<>();
    if (env.isArray()) {
      env.forEach(e -> m.put(e.asText().split("=", 2)[0], e.asText().split("=", 2)[1]));
    } else {
      env.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  private static List<String> texts(JsonNode node) {
    List<String> list = new ArrayList<>();
    node.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> s = new TreeSet<>();
    node.fieldNames().forEachRemaining(s::add);
    return s;
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as("property %s in pom.xml", name).isTrue();
    return m.group(1).trim();
  }

  private static List<String> modules(String pom) {
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }

  private static JsonNode readYaml(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** The few Dockerfile facts the test needs, from its text (continuation lines joined). */
  private record Dockerfile(String text, List<String[]> instructions) {
    static Dockerfile read(Path file) {
      try {
        String text = Files.readString(file);
        String joined = text.replaceAll("\\\\\\n", " ");
        List<String[]> instructions = new ArrayList<>();
        for (String line : joined.split("\n")) {
          String t = line.trim();
          if (!t.isEmpty() && !t.startsWith("#")) {
            String[] parts = t.split("\\s+", 2);
            instructions.add(
                new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""});
          }
        }
        return new Dockerfile(text, instructions);
      } catch (IOException e) {
        throw new AssertionError("cannot read " + file, e);
      }
    }

    /** Stage name -> base image. */
    Map<String, String> stages() {
      Map<String, String> stages = new LinkedHashMap<>();
      for (String[] i : instructions) {
        if (i[0].equals("FROM")) {
          String[] words = i[1].split("\\s+");
          stages.put(
              words.length >= 3 && words[1].equalsIgnoreCase("AS")
                  ? words[2]
                  : "stage" + stages.size(),
              words[0]);
        }
      }
      return stages;
    }

    String lastStage() {
      return new ArrayList<>(stages().keySet()).get(stages().size() - 1);
    }

    List<String> copySources() {
      return instructions.stream()
          .filter(i -> i[0].equals("COPY") && !i[1].startsWith("--from"))
          .flatMap(
              i -> {
                List<String> words = List.of(i[1].split("\\s+"));
                return words.subList(0, words.size() - 1).stream();
              })
          .collect(Collectors.toList());
    }

    List<String> users(String stage) {
      return inStage(stage, "USER");
    }

    List<String> exposed(String stage) {
      return inStage(stage, "EXPOSE");
    }

    private List<String> inStage(String stage, String instruction) {
      List<String> found = new ArrayList<>();
      String current = null;
      for (String[] i : instructions) {
        if (i[0].equals("FROM")) {
          String[] words = i[1].split("\\s+");
          current = words.length >= 3 ? words[2] : null;
        } else if (i[0].equals(instruction) && stage.equals(current)) {
          found.add(i[1].trim());
        }
      }
      return found;
    }
  }
}
