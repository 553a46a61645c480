package io.imagefleet.cli;

import io.imagefleet.contracts.TenantName;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet topics}: creates the fleet's topics with sensible partition counts, or one
 * tenant's topics and the ACLs it needs ({@code --tenant}).
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = {
      "Creates the jobs, events, dead-letter, worker-heartbeat, callbacks, budgets and job-control"
          + " topics (existing topics are left alone).",
      "With --tenant T it creates T's own topics instead and prints the ACLs that give T's"
          + " principal its topics only (--apply grants them).",
      "Example: imagefleet topics --tenant catalog --worker-principal User:imagefleet --apply"
    })
final class TopicsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = "--partitions",
      defaultValue = "24",
      description =
          "Partitions of the jobs and events topics: the most workers that can share the work.")
  int partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description = "Replication factor (use 3 in production).")
  short replicationFactor;

  @Option(
      names = "--jobs-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.JOBS,
      description = "Jobs topic to create (the workers' topics.jobs).")
  String jobsTopic;

  @Option(
      names = "--events-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic to create (topics.events).")
  String eventsTopic;

  @Option(
      names = "--dlq-topic",
      paramLabel = "TOPIC",
      defaultValue = Topics.DEAD_LETTERS,
      description = "Dead-letter topic to create (topics.dead-letters).")
  String dlqTopic;

  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      description = "Onboard this tenant: create its own topics and print its ACLs.")
  String tenant;

  @Option(
      names = "--principal",
      paramLabel = "PRINCIPAL",
      description = "The tenant's Kafka principal (default User:<tenant>).")
  String principal;

  @Option(
      names = "--worker-principal",
      paramLabel = "PRINCIPAL",
      description =
          "The workers' principal: also print (and with --apply grant) its prefixed ACLs on every tenant's topics.")
  String workerPrincipal;

  @Option(
      names = "--prefixed",
      description =
          "Grant the tenant's reads with one prefixed ACL on its topic prefix instead of literal names.")
  boolean prefixed;

  @Option(names = "--apply", description = "Grant the printed ACLs through the admin API.")
  boolean apply;

  @Option(
      names = "--tenant-prefix",
      defaultValue = TenantTopics.DEFAULT_BASE,
      description = "The workers' tenants.topic-prefix.")
  String tenantPrefix;

  @Override
  public Integer call() {
    if (tenant != null) {
      return onboard();
    }
    var created =
        TopicSetup.ensure(
            kafka.connect(),
            new TopicSetup.Layout(jobsTopic, eventsTopic, dlqTopic, partitions, replicationFactor));
    created.forEach(t -> System.out.println("created " + t));
    System.out.println("topics ready: " + jobsTopic + ", " + eventsTopic + ", " + dlqTopic);
    return 0;
  }

  private int onboard() {
    if (!TenantName.isCanonical(tenant)) {
      throw new UserError("--tenant " + tenant + " is not a tenant name: use " + TenantName.RULE);
    }
    TenantTopics topics;
    try {
      topics = new TenantTopics(tenantPrefix);
    } catch (IllegalArgumentException e) {
      throw new UserError("--tenant-prefix: " + e.getMessage());
    }
    List<String> created =
        TenantTopicSetup.ensure(
            kafka.clientProperties(), topics, tenant, partitions, replicationFactor);
    created.forEach(t -> System.out.println("created " + t));
    System.out.println(
        "topics of "
            + tenant
            + " ready: "
            + topics.jobs(tenant)
            + " (publish jobs here), "
            + topics.events(tenant)
            + ", "
            + topics.callbacks(tenant)
            + ", "
            + topics.control(tenant));
    String team = principal != null ? principal : "User:" + tenant;
    List<AclBinding> acls = new ArrayList<>(TenantAcls.forTeam(topics, tenant, team, prefixed));
    if (workerPrincipal != null) {
      acls.addAll(TenantAcls.forWorkers(topics, workerPrincipal));
    }
    System.out.println("ACLs:");
    acls.forEach(a -> System.out.println("  " + TenantAcls.describe(a)));
    if (apply) {
      TenantTopicSetup.grant(kafka.clientProperties(), acls);
      System.out.println("granted " + acls.size() + " ACLs");
    } else {
      System.out.println("not granted: pass --apply to grant them");
    }
    return 0;
  }
}
