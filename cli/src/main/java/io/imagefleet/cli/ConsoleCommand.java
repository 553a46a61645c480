package io.imagefleet.cli;

import io.imagefleet.cli.console.ActionSettings;
import io.imagefleet.cli.console.Console;
import io.imagefleet.cli.console.ConsoleSettings;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.config.ConfigException;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.StorageSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet console}: a web page of the fleet, over its own topics. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a web page of the fleet, live, over its own Kafka topics (no database): jobs as"
          + " they move with their timelines and thumbnails, tenants with their budgets, lanes and"
          + " breakers from the workers' heartbeats, workers, callback deliveries, and dead letters"
          + " with their reasons.",
      "Listens on 127.0.0.1 unless told otherwise; on any other address it needs a token."
          + " Memory is bounded by --jobs and --dead-letters, however long it runs. Joins no"
          + " consumer group. See docs/console.md.",
      "Example: imagefleet console --storage-directory data/images (workers storing in S3:"
          + " imagefleet console --storage-config worker.properties)"
    })
final class ConsoleCommand implements Callable<Integer> {
  static final String TOKEN_ENV = "IMAGEFLEET_CONSOLE_TOKEN";

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--bind",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address to listen on; any but loopback needs a token.")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9480",
      description = "Port; 0 picks a free one.")
  int port;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the token browsers must present; without it, the environment variable "
              + TOKEN_ENV
              + ", if set. From a file so that it never shows in the process list.")
  Path tokenFile;

  @Option(
      names = "--tenant-tokens",
      paramLabel = "FILE",
      description =
          "Per-tenant access: a properties file of <tenant>=<token> lines. A tenant's token shows"
              + " that tenant's jobs, images, budget and callbacks and the fleet's lanes and routes,"
              + " nothing of other tenants'.")
  Path tenantTokensFile;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Jobs kept in memory.")
  int jobs;

  @Option(
      names = "--dead-letters",
      paramLabel = "N",
      defaultValue = "200",
      description = "Dead letters kept in memory.")
  int deadLetters;

  @Option(
      names = "--window",
      paramLabel = "N",
      defaultValue = "5000",
      description = "Events (and dead letters) read back per partition at start.")
  int window;

  @Option(
      names = "--storage-directory",
      paramLabel = "DIR",
      description =
          "The workers' storage.directory: images are served from under it and nowhere else"
              + " (default: data/images).")
  Path storageDirectory;

  @Option(
      names = "--storage-config",
      paramLabel = "FILE",
      description =
          "The workers' configuration file: its storage.* keys (and IMAGEFLEET_STORAGE_*"
              + " variables, as a worker reads them) say where images are, a directory or an S3"
              + " bucket with its endpoint and credentials. Instead of --storage-directory.")
  Path storageConfig;

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      defaultValue = "imagefleet-workers",
      description =
          "The workers' consumer group (their kafka.group.id), for who owns which partitions.")
  String group;

  @Option(
      names = "--events-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic (topics.events).")
  String eventsTopic;

  @Option(
      names = "--workers-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.WORKERS,
      description = "Worker heartbeats (topics.workers).")
  String workersTopic;

  @Option(
      names = "--dead-letters-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.DEAD_LETTERS,
      description = "Dead-letter topic (topics.dead-letters).")
  String deadLettersTopic;

  @Option(
      names = "--budgets-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.BUDGETS,
      description = "Budget ledger (topics.budgets), for spend against each tenant's budget.")
  String budgetsTopic;

  @Option(
      names = "--callbacks-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.CALLBACKS_OWED,
      description = "Callback deliveries (topics.callbacks-owed).")
  String callbacksTopic;

  @Option(
      names = "--stale-after",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "A worker not heard from for this long is marked stale and left out of the sums"
              + " (3 of the workers' ops.heartbeat-interval).")
  String staleAfter;

  @Option(
      names = "--read-only",
      description = "Show only: no redrive, no cancel, whatever the address.")
  boolean readOnly;

  @Option(
      names = "--allow-actions",
      description = "Allow redrive and cancel on an address other than loopback (token holders).")
  boolean allowActions;

  @Option(
      names = "--actions-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.CONSOLE_ACTIONS,
      description = "Where each action is recorded, and read back for the page.")
  String actionsTopic;

  @Option(
      names = "--control-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.JOB_CONTROL,
      description =
          "Shared control topic for cancels (topics.control); a tenant's own is used"
              + " when it exists.")
  String controlTopic;

  @Option(
      names = "--tenant-prefix",
      paramLabel = "PREFIX",
      defaultValue = TenantTopics.DEFAULT_BASE,
      description = "The workers' tenants.topic-prefix.")
  String tenantPrefix;

  @Option(
      names = "--redrive-group",
      paramLabel = "GROUP",
      defaultValue = ActionSettings.DEFAULT_REDRIVE_GROUP,
      description = "Consumer group that remembers what was redriven (dlq redrive --group).")
  String redriveGroup;

  @Override
  public Integer call() throws InterruptedException {
    StorageSettings storage = storage();
    ConsoleSettings settings;
    try {
      settings =
          new ConsoleSettings(
              bind,
              port,
              token(),
              jobs,
              deadLetters,
              window,
              eventsTopic,
              workersTopic,
              deadLettersTopic,
              group,
              storage.directory(),
              budgetsTopic,
              callbacksTopic,
              ConfigLoader.parseDuration("--stale-after", staleAfter),
              storage.s3(),
              tenantTokens(),
              new ActionSettings(
                  ActionSettings.enabled(bind, readOnly, allowActions),
                  actionsTopic,
                  controlTopic,
                  tenantPrefix,
                  redriveGroup));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    Console console;
    try {
      console = Console.start(kafka.connect(), settings);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  console.close();
                  stopped.countDown();
                },
                "console-stop"));
    System.out.println(
        "console: "
            + console.url()
            + (settings.token().isPresent() || !settings.tenantTokens().isEmpty()
                ? "?token=<token>"
                : "")
            + (settings.actions().enabled() ? "" : ", read-only")
            + " (Ctrl-C stops it)");
    stopped.await();
    return 0;
  }

  /** Where the workers store images: the directory given, or what their own file says. */
  private StorageSettings storage() {
    if (storageConfig == null) {
      return new StorageSettings(
          storageDirectory == null ? Path.of("data/images") : storageDirectory, 1);
    }
    if (storageDirectory != null) {
      throw new UserError(
          "give --storage-directory or --storage-config, not both: the file names the directory"
              + " (storage.directory)");
    }
    try {
      return ConfigLoader.loadStorage(storageConfig, System.getenv());
    } catch (ConfigException e) {
      throw new UserError("--storage-config " + storageConfig + ": " + e.getMessage());
    }
  }

  private Map<String, String> tenantTokens() {
    if (tenantTokensFile == null) {
      return Map.of();
    }
    Properties tokens = new Properties();
    try (Reader in = Files.newBufferedReader(tenantTokensFile)) {
      tokens.load(in);
    } catch (IOException e) {
      throw new UserError(
          "cannot read --tenant-tokens " + tenantTokensFile + ": " + e.getMessage());
    }
    Map<String, String> byTenant = new TreeMap<>();
    tokens.stringPropertyNames().forEach(t -> byTenant.put(t, tokens.getProperty(t)));
    return byTenant;
  }

  private Optional<String> token() {
    if (tokenFile == null) {
      return Optional.ofNullable(System.getenv(TOKEN_ENV));
    }
    try {
      return Optional.of(Files.readString(tokenFile).strip());
    } catch (IOException e) {
      throw new UserError("cannot read --token-file " + tokenFile + ": " + e.getMessage());
    }
  }
}
