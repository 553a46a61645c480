package io.imagefleet.sandbox.upstream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The known models and which of them are down right now. Thread-safe. */
final class Routes {

  private final List<String> models;
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  Routes(List<String> models) {
    this.models = List.copyOf(models);
  }

  boolean isKnown(String model) {
    return models.contains(model);
  }

  boolean isUp(String model) {
    return !down.contains(model);
  }

  /**
   * @throws IllegalArgumentException for a model this simulator does not know
   */
  void setUp(String model, boolean up) {
    if (!isKnown(model)) {
      throw new IllegalArgumentException("unknown model " + model + "; known models are " + models);
    }
    if (up) {
      down.remove(model);
    } else {
      down.add(model);
    }
  }

  Map<String, Boolean> snapshot() {
    Map<String, Boolean> result = new LinkedHashMap<>();
    models.forEach(model -> result.put(model, isUp(model)));
    return result;
  }
}
