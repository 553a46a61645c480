package io.imagefleet.cli;

import java.util.Map;
import picocli.CommandLine.Help.Ansi;

/**
 * Whether output may carry colours: only on a terminal, never when {@code NO_COLOR} is set to
 * anything (no-color.org) or the terminal is {@code dumb}. Help and the commands' own output follow
 * the same decision.
 */
final class Terminal {
  private Terminal() {}

  static Ansi ansi(Map<String, String> env, boolean console) {
    String noColor = env.get("NO_COLOR");
    boolean refused = (noColor != null && !noColor.isEmpty()) || "dumb".equals(env.get("TERM"));
    return console && !refused ? Ansi.ON : Ansi.OFF;
  }
}
