package io.imagefleet.cli.console;

import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.Topics;
import java.util.Objects;

/**
 * What the console may change, and where it writes. Actions are on by default on a loopback
 * address, where only people on the machine reach the page; elsewhere they need {@code
 * --allow-actions} as well as the token, so that handing out a token to look does not hand out the
 * power to redrive and cancel. {@code --read-only} turns them off everywhere.
 *
 * @param enabled whether the page may redrive and cancel
 * @param auditTopic where each action is recorded (and read back for the page)
 * @param controlTopic the shared control topic for cancel requests
 * @param tenantPrefix the workers' {@code tenants.topic-prefix}, for a tenant's own control topic
 * @param redriveGroup the consumer group that remembers what was redriven, shared with {@code
 *     imagefleet dlq redrive}
 */
public record ActionSettings(
    boolean enabled,
    String auditTopic,
    String controlTopic,
    String tenantPrefix,
    String redriveGroup) {
  public static final String DEFAULT_REDRIVE_GROUP = "imagefleet-dlq-redrive";

  public ActionSettings {
    Objects.requireNonNull(auditTopic, "auditTopic");
    Objects.requireNonNull(controlTopic, "controlTopic");
    Objects.requireNonNull(tenantPrefix, "tenantPrefix");
    Objects.requireNonNull(redriveGroup, "redriveGroup");
  }

  /** The fleet's default topics and group. */
  public static ActionSettings ofDefaults(boolean enabled) {
    return new ActionSettings(
        enabled,
        Topics.CONSOLE_ACTIONS,
        Topics.JOB_CONTROL,
        TenantTopics.DEFAULT_BASE,
        DEFAULT_REDRIVE_GROUP);
  }

  /**
   * Whether actions are on, from the two flags and the address.
   *
   * @throws IllegalArgumentException when both flags are given
   */
  public static boolean enabled(String bind, boolean readOnly, boolean allowActions) {
    if (readOnly && allowActions) {
      throw new IllegalArgumentException("--read-only and --allow-actions contradict each other");
    }
    return !readOnly && (allowActions || ConsoleSettings.isLoopback(bind));
  }

  ActionSettings readOnly() {
    return new ActionSettings(false, auditTopic, controlTopic, tenantPrefix, redriveGroup);
  }
}
