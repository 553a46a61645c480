package io.imagefleet.cli.console;

import java.util.Optional;

/**
 * Who is looking: the operator, who sees the whole fleet, or one tenant, who sees its own jobs,
 * images, budget and callbacks and the fleet's health (lanes and routes), never another tenant's
 * work, the workers' details or dead letters (a dead letter may be any producer's record).
 *
 * @param tenant the tenant, empty for the operator
 */
record Viewer(Optional<String> tenant) {
  static final Viewer OPERATOR = new Viewer(Optional.empty());

  /** Not a tenant name (those are canonical): the owner of what no tenant may see. */
  static final String NOBODY = "\u0000";

  static Viewer tenant(String tenant) {
    return new Viewer(Optional.of(tenant));
  }

  boolean isOperator() {
    return tenant.isEmpty();
  }

  /** Whether this viewer may see {@code owner}'s work. */
  boolean sees(String owner) {
    return tenant.map(t -> t.equals(owner)).orElse(true);
  }
}
