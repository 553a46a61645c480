package io.imagefleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The one look of every command's help, set on the whole command tree rather than repeated in each
 * annotation: picocli wraps the text to the terminal's width, shows each option's default value on
 * its own line (so a value is never split across lines), marks required options with {@code *} and
 * keeps the synopsis to one line.
 */
final class HelpStyle {
  private HelpStyle() {}

  static void apply(CommandLine root, Ansi ansi) {
    style(root);
    root.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
  }

  private static void style(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    UsageMessageSpec usage = spec.usageMessage();
    usage
        .showDefaultValues(true)
        .autoWidth(true)
        .requiredOptionMarker('*')
        // "[OPTIONS]": the options are listed below; a long synopsis only repeats them, wrapped.
        .abbreviateSynopsis(true);
    if (spec.options().stream().anyMatch(o -> o.required())
        && !java.util.Arrays.asList(usage.footer()).contains("* required")) {
      usage.footer(concat(usage.footer(), "* required"));
    }
    command.getSubcommands().values().forEach(HelpStyle::style);
  }

  private static String[] concat(String[] lines, String line) {
    String[] all = java.util.Arrays.copyOf(lines, lines.length + 1);
    all[lines.length] = line;
    return all;
  }
}
