package io.imagefleet.sandbox.upstream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The known models, each with its rules, and which of them are down right now. Thread-safe. */
final class Routes {

  private final Map<String, SimModel> models = new LinkedHashMap<>();
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  Routes(List<SimModel> models) {
    models.forEach(model -> this.models.put(model.name(), model));
  }

  Optional<SimModel> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  boolean isKnown(String model) {
    return models.containsKey(model);
  }

  boolean isUp(String model) {
    return !down.contains(model);
  }

  /**
   * @throws IllegalArgumentException for a model this simulator does not know
   */
  void setUp(String model, boolean up) {
    if (!isKnown(model)) {
      throw new IllegalArgumentException(
          "unknown model " + model + "; known models are " + models.keySet());
    }
    if (up) {
      down.remove(model);
    } else {
      down.add(model);
    }
  }

  Map<String, Boolean> snapshot() {
    Map<String, Boolean> result = new LinkedHashMap<>();
    models.keySet().forEach(model -> result.put(model, isUp(model)));
    return result;
  }
}
