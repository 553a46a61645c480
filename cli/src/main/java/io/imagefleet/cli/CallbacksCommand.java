package io.imagefleet.cli;

import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.callback.CallbackDispatcher;
import io.imagefleet.worker.callback.OwedCallback;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet callbacks list|redeliver}: where callback deliveries stand, and redelivery. */
@Command(
    name = "callbacks",
    mixinStandardHelpOptions = true,
    description =
        "Lists callback deliveries (owed, delivered, failed, refused) and redelivers them.",
    subcommands = {CallbacksCommand.List.class, CallbacksCommand.Redeliver.class})
final class CallbacksCommand {

  /** Which deliveries a command acts on. */
  static final class Filter {
    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's.")
    String tenant;

    @Option(names = "--job", paramLabel = "JOB_ID", description = "Only this job's.")
    String job;

    @Option(
        names = "--id",
        paramLabel = "WEBHOOK_ID",
        description = "Only this delivery (its webhook-id, the event id).")
    String id;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "Only deliveries in this state: ${COMPLETION-CANDIDATES}.")
    OwedCallback.State state;

    @Option(
        names = {"-t", "--topic"},
        defaultValue = Topics.CALLBACKS_OWED,
        description = "Owed callbacks topic.")
    String topic;

    boolean matches(OwedCallback c) {
      return (tenant == null || tenant.equals(c.tenant()))
          && (job == null || job.equals(c.jobId()))
          && (id == null || id.equals(c.webhookId()))
          && (state == null || state == c.state());
    }
  }

  /**
   * The latest step of every delivery, read to the topic's current end ({@code read_committed}).
   */
  static java.util.List<OwedCallback> latest(Properties client, String topic) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, OwedCallback> latest = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : DlqCommand.readAll(p, topic)) {
      if (r.value() == null) {
        continue;
      }
      try {
        OwedCallback c = OwedCallback.decode(r.value());
        OwedCallback known = latest.get(c.webhookId());
        // The partition's order decides, except that a late step of an older generation does not.
        if (known == null || c.generation() >= known.generation()) {
          latest.put(c.webhookId(), c);
        }
      } catch (IOException e) {
        System.err.printf(
            "skipping an unreadable record at %s-%d@%d%n", r.topic(), r.partition(), r.offset());
      }
    }
    java.util.List<OwedCallback> all = new ArrayList<>(latest.values());
    all.sort(
        Comparator.comparing(
            OwedCallback::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    return all;
  }

  static String describe(OwedCallback c) {
    StringBuilder b =
        new StringBuilder()
            .append(c.state())
            .append("  webhook-id=")
            .append(c.webhookId())
            .append("  job=")
            .append(c.jobId())
            .append("  tenant=")
            .append(c.tenant())
            .append("  attempts=")
            .append(c.attempts());
    if (c.generation() > 0) {
      b.append("  redelivery=").append(c.generation());
    }
    if (c.state() == OwedCallback.State.OWED) {
      b.append("  next=").append(c.nextAttemptAt());
    }
    if (c.httpStatus() != null) {
      b.append("  http=").append(c.httpStatus());
    }
    b.append("  at=").append(c.updatedAt()).append("  by=").append(c.workerId());
    b.append("\n  url: ").append(CallbackDispatcher.withoutSecrets(c.url()));
    if (c.error() != null) {
      b.append("\n  error: ").append(c.error());
    }
    if (c.note() != null) {
      b.append("\n  note: ").append(c.note());
    }
    return b.toString();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Prints where each callback delivery stands, oldest first.")
  static final class List implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin Filter filter;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many.")
    int limit;

    @Override
    public Integer call() {
      Map<OwedCallback.State, Integer> counts = new LinkedHashMap<>();
      int shown = 0;
      for (OwedCallback c : latest(kafka.connect(), filter.topic)) {
        if (!filter.matches(c)) {
          continue;
        }
        counts.merge(c.state(), 1, Integer::sum);
        if (shown++ < limit) {
          System.out.println(describe(c));
        }
      }
      System.out.println(
          shown
              + " deliver"
              + (shown == 1 ? "y" : "ies")
              + (counts.isEmpty() ? "" : " " + counts)
              + (shown > limit ? " (first " + limit + " shown)" : ""));
      return 0;
    }
  }

  @Command(
      name = "redeliver",
      mixinStandardHelpOptions = true,
      description = {
        "Sends finished callback deliveries again.",
        "Owes the matching finished deliveries (DELIVERED, FAILED, REFUSED) again, from zero"
            + " attempts, under the same webhook-id: the fleet sends them again. A delivery still"
            + " OWED is never redelivered. Prints the plan; nothing is written without --yes. Each"
            + " redelivery records --reason and who asked."
      })
  static final class Redeliver implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin Filter filter;

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why, recorded with each redelivery.")
    String reason;

    @Option(names = "--yes", description = "Write the redeliveries (without it: only the plan).")
    boolean yes;

    @Override
    public Integer call() throws InterruptedException {
      if (filter.id == null
          && filter.job == null
          && filter.tenant == null
          && filter.state == null) {
        throw new UserError("name what to redeliver: --id, --job, --tenant and/or --state");
      }
      java.util.List<OwedCallback> chosen = new ArrayList<>();
      for (OwedCallback c : latest(kafka.connect(), filter.topic)) {
        if (!filter.matches(c)) {
          continue;
        }
        if (c.state() == OwedCallback.State.OWED) {
          System.out.println(
              "still owed, left alone: " + c.webhookId() + " (job " + c.jobId() + ")");
          continue;
        }
        chosen.add(c);
        System.out.println((yes ? "redeliver: " : "would redeliver: ") + describe(c));
      }
      if (!yes || chosen.isEmpty()) {
        System.out.println(
            chosen.size()
                + " deliver"
                + (chosen.size() == 1 ? "y" : "ies")
                + (yes ? " to redeliver" : " would be redelivered; add --yes to do it"));
        return 0;
      }
      String who = "cli:" + System.getProperty("user.name", "unknown");
      try (var producer = DurableProducer.open(kafka.connect())) {
        Instant now = Instant.now();
        for (OwedCallback c : chosen) {
          producer.send(c.redelivery(reason, now, who).toRecord(filter.topic)).get();
        }
      } catch (ExecutionException e) {
        throw new UserError("could not write a redelivery: " + e.getCause().getMessage());
      }
      System.out.println(
          chosen.size() + " deliver" + (chosen.size() == 1 ? "y" : "ies") + " owed again");
      return 0;
    }
  }

  private CallbacksCommand() {}
}
