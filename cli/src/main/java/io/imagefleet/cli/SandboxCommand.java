package io.imagefleet.cli;

import io.imagefleet.sandbox.SandboxMain;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code imagefleet sandbox}: the embedded broker and/or the upstream simulator as a process. */
@Command(
    name = "sandbox",
    description = {
      "Runs the embedded Kafka broker and/or the upstream simulator until SIGTERM.",
      "Options: see 'imagefleet sandbox --help' (--broker, --simulator, ports, --api-key,"
          + " --task-duration, --creates-per-second, --queries-per-second)."
    })
final class SandboxCommand implements Runnable {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public void run() {
    SandboxMain.main(args.toArray(String[]::new));
  }
}
