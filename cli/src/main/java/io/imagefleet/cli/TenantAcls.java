package io.imagefleet.cli;

import io.imagefleet.contracts.TenantTopics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs that let one team publish as its tenant and read only its own results, and that let the
 * fleet's workers serve every tenant. A team writes its jobs and control topics and reads its
 * events and callback outcomes, in consumer groups under its prefix; it never writes its events
 * (they would look like the fleet's) nor touches another team's topics. Workers read every tenant's
 * jobs and control topics and write their copies: one prefixed grant on the tenants' common prefix
 * covers tenants not yet onboarded.
 */
final class TenantAcls {
  private TenantAcls() {}

  /** The team's own grants: literal topic names, or one prefix per operation. */
  static List<AclBinding> forTeam(
      TenantTopics topics, String tenant, String principal, boolean prefixed) {
    List<AclBinding> acls = new ArrayList<>();
    if (prefixed) {
      // Write on the prefix would also let the team write its events topic: reading is prefixed,
      // writing stays literal.
      topic(acls, principal, PatternType.PREFIXED, topics.prefix(tenant), AclOperation.READ);
    } else {
      topic(acls, principal, PatternType.LITERAL, topics.events(tenant), AclOperation.READ);
      topic(acls, principal, PatternType.LITERAL, topics.callbacks(tenant), AclOperation.READ);
    }
    topic(acls, principal, PatternType.LITERAL, topics.jobs(tenant), AclOperation.WRITE);
    topic(acls, principal, PatternType.LITERAL, topics.control(tenant), AclOperation.WRITE);
    acls.add(
        new AclBinding(
            new ResourcePattern(ResourceType.GROUP, topics.prefix(tenant), PatternType.PREFIXED),
            allow(principal, AclOperation.READ)));
    return acls;
  }

  /** The workers' grants on every tenant's topics, present and future. */
  static List<AclBinding> forWorkers(TenantTopics topics, String principal) {
    List<AclBinding> acls = new ArrayList<>();
    topic(acls, principal, PatternType.PREFIXED, topics.base(), AclOperation.READ);
    topic(acls, principal, PatternType.PREFIXED, topics.base(), AclOperation.WRITE);
    topic(acls, principal, PatternType.PREFIXED, topics.base(), AclOperation.DESCRIBE);
    return acls;
  }

  private static void topic(
      List<AclBinding> acls,
      String principal,
      PatternType pattern,
      String name,
      AclOperation operation) {
    acls.add(
        new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, name, pattern), allow(principal, operation)));
  }

  private static AccessControlEntry allow(String principal, AclOperation operation) {
    return new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW);
  }

  /** One line per grant, as an operator reads it and {@code kafka-acls.sh} would take it. */
  static String describe(AclBinding acl) {
    ResourcePattern r = acl.pattern();
    AccessControlEntry e = acl.entry();
    return String.format(
        "allow %-18s %-8s on %-5s %-8s %s",
        e.principal(),
        e.operation(),
        r.resourceType().name().toLowerCase(java.util.Locale.ROOT),
        r.patternType().name().toLowerCase(java.util.Locale.ROOT),
        r.name());
  }
}
