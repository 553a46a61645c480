package io.imagefleet.sandbox.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The live tasks by id. Task ids look like the gateway's: {@code task-unified-<epoch
 * seconds>-<suffix>}. Thread-safe; tasks are kept for the simulator's lifetime (a few hundred bytes
 * each).
 */
final class TaskStore {

  private static final Pattern ID = Pattern.compile("task-unified-\\d{1,12}-[a-z0-9]{4,32}");

  private final ConcurrentMap<String, SimTask> tasks = new ConcurrentHashMap<>();
  private final Chance chance;
  private final double creditsPerUsd;

  TaskStore(Chance chance, double creditsPerUsd) {
    this.chance = chance;
    this.creditsPerUsd = creditsPerUsd;
  }

  static boolean isWellFormedId(String id) {
    return ID.matcher(id).matches();
  }

  SimTask create(
      Instant now,
      CreateRequest request,
      SimModel model,
      Duration planned,
      Optional<String> failCode,
      Optional<ScriptedFault> queryFault) {
    while (true) {
      String id = "task-unified-" + now.getEpochSecond() + "-" + chance.idSuffix();
      SimTask task =
          new SimTask(id, now, request, model, planned, failCode, queryFault, creditsPerUsd);
      if (tasks.putIfAbsent(id, task) == null) {
        return task;
      }
    }
  }

  Optional<SimTask> find(String id) {
    return Optional.ofNullable(tasks.get(id));
  }

  int size() {
    return tasks.size();
  }
}
