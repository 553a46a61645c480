package io.imagefleet.cli.console;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;

/**
 * One action taken from the console, as recorded on the audit topic (key = target). Read back for
 * the page's Actions panel; readers ignore fields they do not know.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param actionId unique per action
 * @param action {@link #REDRIVE} or {@link #CANCEL}
 * @param target what it acted on: {@code <dlq topic>-<partition>@<offset>} or {@code <tenant>/<job
 *     id>}
 * @param by who: {@code loopback} (no token), or the operator's or a tenant's token holder with the
 *     browser's address
 * @param result how it went: {@code done}, {@code already_done}, {@code refused}, {@code failed}
 * @param message a sentence for people
 * @param at when the console finished it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record ActionRecord(
    int schemaVersion,
    String actionId,
    String action,
    String target,
    String by,
    String result,
    String message,
    Instant at) {
  static final int SCHEMA_VERSION = 1;
  static final String REDRIVE = "redrive_dead_letter";
  static final String CANCEL = "cancel_job";

  ActionRecord {
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(at, "at");
  }

  /**
   * Whose record it is, for who may see it: a cancel is its job's tenant's; a redrive is nobody's,
   * as a dead letter may be any producer's record.
   */
  String owner() {
    int slash = target.indexOf('/');
    return CANCEL.equals(action) && slash > 0 ? target.substring(0, slash) : Viewer.NOBODY;
  }
}
