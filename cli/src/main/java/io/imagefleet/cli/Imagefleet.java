package io.imagefleet.cli;

import io.imagefleet.bench.BenchCommand;
import io.imagefleet.worker.cli.WorkerCommand;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/imagefleet}: the one entry point a person uses. */
@Command(
    name = "imagefleet",
    mixinStandardHelpOptions = true,
    version = "imagefleet 0.1.0",
    description = "A Kafka worker fleet for asynchronous AI image generation.",
    subcommands = {
      DemoCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      WatchCommand.class,
      StatusCommand.class,
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

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Imagefleet());
    cli.setExecutionExceptionHandler(
        (error, commandLine, parseResult) -> {
          Throwable e = error;
          if (e instanceof UserError) {
            commandLine.getErr().println("error: " + e.getMessage());
            return 2;
          }
          if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
            commandLine
                .getErr()
                .println(
                    "error: Kafka did not answer in time ("
                        + e.getMessage()
                        + "). "
                        + "Check --bootstrap-servers and that the broker is running (bin/imagefleet sandbox starts one).");
            return 3;
          }
          throw error;
        });
    return cli;
  }
}
