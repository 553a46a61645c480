package io.imagefleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.cli.ExitCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Every command's help as a person reads it: picocli wraps it (no paragraph cut by hand), every
 * option says what it does, defaults and required options show, and colours follow NO_COLOR.
 */
class HelpTextTest {

  @Test
  void everyOptionOfEveryCommandHasADescription() {
    List<String> empty = new ArrayList<>();
    for (CommandLine command : allCommands()) {
      for (ArgSpec arg : command.getCommandSpec().args()) {
        if (arg.hidden()) {
          continue;
        }
        String text = String.join(" ", arg.description()).strip();
        if (text.isEmpty()) {
          empty.add(command.getCommandSpec().qualifiedName() + " " + name(arg));
        }
      }
    }
    assertThat(empty).as("options without a description").isEmpty();
  }

  @Test
  void noDescriptionParagraphIsCutByHand() {
    List<String> cut = new ArrayList<>();
    for (CommandLine command : allCommands()) {
      String[] paragraphs = command.getCommandSpec().usageMessage().description();
      for (String raw : paragraphs) {
        String paragraph = raw.replace("%n", "").strip();
        // A paragraph is a sentence or more; one cut by hand ends mid-sentence ("lag," "then").
        if (!paragraph.startsWith("Example") && !paragraph.strip().matches("(?s).*[.)]$")) {
          cut.add(command.getCommandSpec().qualifiedName() + ": " + paragraph);
        }
      }
      for (ArgSpec arg : command.getCommandSpec().args()) {
        for (String line : arg.description()) {
          if (!line.strip().isEmpty() && !line.strip().matches("(?s).*[.)]$")) {
            cut.add(command.getCommandSpec().qualifiedName() + " " + name(arg) + ": " + line);
          }
        }
      }
    }
    assertThat(cut).as("description lines that end mid-sentence").isEmpty();
  }

  @Test
  void helpShowsDefaultsWholeAndMarksRequiredOptions() {
    String bootstrap = System.getenv().getOrDefault(KafkaOptions.ENV, "localhost:9092");
    String submit = usage("submit");
    assertThat(submit)
        .contains("Default: " + bootstrap)
        .contains("IMAGEFLEET_KAFKA_BOOTSTRAP_SERVERS")
        .contains("Default: imagefleet.job-events.v1")
        .doesNotContainPattern("localhost:\\s*\\n");
    assertThat(usage("status")).contains("Default: imagefleet-workers").contains("Default: 500");
    assertThat(usage("topics"))
        .contains("Jobs topic to create")
        .contains("Default: imagefleet.jobs.v1.dlq");
    String redeliver = usage("callbacks", "redeliver");
    assertThat(redeliver).containsPattern("\\*\\s+--reason=TEXT").contains("* required");
    String top = usage();
    // Each command's summary in the list is a whole sentence.
    assertThat(top)
        .containsPattern("status +Shows the fleet at a glance, from any machine")
        .contains("completion")
        .contains("docs/cli.md")
        .doesNotContain("lag,\n");
    for (CommandLine command : allCommands()) {
      String[] description = command.getCommandSpec().usageMessage().description();
      if (description.length > 0) {
        assertThat(description[0])
            .as("summary of %s", command.getCommandSpec().qualifiedName())
            .matches("(?s).*[.)]$");
      }
    }
  }

  @Test
  void completionIsPicoclisGeneratedScript() {
    String script = CliRun.run("completion");
    assertThat(script).contains("complete -F").contains("watch").contains("--output");
  }

  @Test
  void coloursOnlyOnATerminalAndNeverWithNoColor() {
    assertThat(Terminal.ansi(Map.of(), true)).isEqualTo(Ansi.ON);
    assertThat(Terminal.ansi(Map.of("NO_COLOR", "1"), true)).isEqualTo(Ansi.OFF);
    assertThat(Terminal.ansi(Map.of("TERM", "dumb"), true)).isEqualTo(Ansi.OFF);
    assertThat(Terminal.ansi(Map.of(), false)).isEqualTo(Ansi.OFF);
    assertThat(Terminal.ansi(Map.of("NO_COLOR", ""), true)).isEqualTo(Ansi.ON);
  }

  @Test
  void exitCodesAreDistinct() {
    assertThat(Arrays.stream(ExitCode.values()).map(ExitCode::code).collect(Collectors.toSet()))
        .hasSize(ExitCode.values().length);
    assertThat(CliRun.expecting(2, "watch", "--no-such-option")).contains("--no-such-option");
  }

  private static String usage(String... path) {
    CommandLine command = Imagefleet.commandLine();
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    command.setUsageHelpAutoWidth(false);
    command.setUsageHelpWidth(80);
    return command.getUsageMessage(Ansi.OFF);
  }

  private static List<CommandLine> allCommands() {
    List<CommandLine> all = new ArrayList<>();
    collect(Imagefleet.commandLine(), all);
    return all;
  }

  private static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    command.getSubcommands().values().forEach(c -> collect(c, all));
  }

  private static String name(ArgSpec arg) {
    return arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
  }
}
