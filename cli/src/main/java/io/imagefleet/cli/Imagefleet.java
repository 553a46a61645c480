package io.imagefleet.cli;

import io.imagefleet.bench.BenchCommand;
import io.imagefleet.cli.consolebench.ConsoleBenchCommand;
import io.imagefleet.worker.cli.ExitCode;
import io.imagefleet.worker.cli.WorkerCommand;
import java.io.PrintWriter;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** {@code bin/imagefleet}: the one entry point a person uses. */
@Command(
    name = "imagefleet",
    mixinStandardHelpOptions = true,
    version = "imagefleet 0.1.0",
    description = "A Kafka worker fleet for asynchronous AI image generation.",
    footer = "Exit codes (the same in every command): docs/cli.md.",
    subcommands = {
      DemoCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      WatchCommand.class,
      StatusCommand.class,
      ConsoleCommand.class,
      CostsCommand.class,
      CancelCommand.class,
      TopicsCommand.class,
      DlqCommand.class,
      CallbacksCommand.class,
      SoakCommand.class,
      ReplayCommand.class,
      ChaosCommand.class,
      SandboxCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Imagefleet {
  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On an error, print its stack trace too (so does IMAGEFLEET_LOG_LEVEL=DEBUG).")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Imagefleet());
    cli.addSubcommand("completion", new AutoComplete.GenerateCompletion());
    // The console lives here, not in the bench module, which the CLI depends on.
    CommandLine bench = cli.getSubcommands().get("bench");
    bench.addSubcommand("console", new ConsoleBenchCommand());
    // So that --scenario console reaches the bench command, which points at bench console.
    bench.setAllowSubcommandsAsOptionParameters(true);
    cli.getSubcommands()
        .get("completion")
        .getCommandSpec()
        .usageMessage()
        .description(
            "Prints a bash/zsh completion script for imagefleet. Load it with: source"
                + " <(bin/imagefleet completion)");
    HelpStyle.apply(cli, Terminal.ansi(System.getenv(), System.console() != null));
    cli.setExecutionExceptionHandler(Imagefleet::handle);
    return cli;
  }

  /**
   * One line for every error a person can act on, with an exit code from {@link ExitCode}; a stack
   * trace only when asked for.
   */
  private static int handle(Exception error, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    if (error instanceof UserError) {
      err.println("error: " + error.getMessage());
      return ExitCode.USAGE.code();
    }
    boolean verbose = verbose(parsed);
    if (error instanceof KafkaUnreachable) {
      err.println("error: " + error.getMessage());
      if (verbose) {
        error.printStackTrace(err);
      }
      return ExitCode.KAFKA_UNREACHABLE.code();
    }
    if (error instanceof TimeoutException || error.getCause() instanceof TimeoutException) {
      err.println(
          "error: Kafka did not answer in time ("
              + KafkaUnreachable.firstLine(error)
              + "). Check -b/--bootstrap-servers (or "
              + KafkaOptions.ENV
              + ") and that the broker is running (bin/imagefleet sandbox starts one).");
      if (verbose) {
        error.printStackTrace(err);
      }
      return ExitCode.KAFKA_UNREACHABLE.code();
    }
    err.println(
        "error: "
            + error.getClass().getSimpleName()
            + ": "
            + KafkaUnreachable.firstLine(error)
            + (verbose ? "" : " (run again with --verbose for the stack trace)"));
    if (verbose) {
      error.printStackTrace(err);
    }
    return ExitCode.INTERNAL.code();
  }

  private static boolean verbose(ParseResult parsed) {
    if ("DEBUG".equalsIgnoreCase(System.getenv("IMAGEFLEET_LOG_LEVEL"))
        || "TRACE".equalsIgnoreCase(System.getenv("IMAGEFLEET_LOG_LEVEL"))) {
      return true;
    }
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
