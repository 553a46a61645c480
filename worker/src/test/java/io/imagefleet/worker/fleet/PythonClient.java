package io.imagefleet.worker.fleet;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;

/**
 * docs/clients/python with confluent-kafka-python (librdkafka) and jsonschema, run in place by the
 * first Python 3 that has both: the one on the PATH, else the system's (where Debian's packages
 * go).
 */
final class PythonClient extends ScriptClient {
  private static final Path SOURCE = DOCS.resolve("python");
  private final String python;

  private PythonClient(String python) {
    super(SOURCE);
    this.python = python;
  }

  static PythonClient find() throws InterruptedException {
    for (String python : List.of("python3", "/usr/bin/python3")) {
      if (succeeds(List.of(python, "-c", "import confluent_kafka, jsonschema"))) {
        return new PythonClient(python);
      }
    }
    return fail(
        "This test runs the confluent-kafka-python client of docs/clients/python and needs"
            + " Python 3 with the confluent_kafka and jsonschema modules, but no python3 has them."
            + " Install them (Debian: apt-get install python3-confluent-kafka python3-jsonschema;"
            + " .ci/run does; or pip install confluent-kafka jsonschema) and run again.");
  }

  @Override
  String name() {
    return "confluent-kafka-python";
  }

  @Override
  List<String> command(String script, String... args) {
    return concat(List.of(python), script, args);
  }

  @Override
  String publishScript() {
    return "publish_jobs.py";
  }

  @Override
  String consumeScript() {
    return "consume_events.py";
  }
}
